"""Certificate authorities that certify signers. Only a simulated one ships: a legally reliable e-signature needs a
licensed CA, which a deployment plugs in behind `SignatureAuthority`."""
