"""Kaiban (开办): the backend of a WeChat mini-program that forms a company in Huangpu, Guangzhou."""
