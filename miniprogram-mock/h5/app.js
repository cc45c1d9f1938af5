// The clickable mini-program simulator. Plain browser JavaScript, no build step: every screen calls the same Kaiban
// HTTP API as the real mini-program; only WeChat itself (wx.login, the face check on the phone) is played through the
// fake platform's /mock/wechat/simulate endpoints.
"use strict";

const API = "/api/v1";
const SCREENS = ["login", "identity", "name", "details", "documents", "sign", "status", "licence"];
// Which screen an application in each state continues on.
const SCREEN_OF_STATE = {
  created: "identity", identity_verified: "name", name_reserved: "details", details_completed: "documents",
  rejected: "details", info_requested: "details", documents_generated: "sign", signed: "sign", submitted: "status",
  in_review: "status", approved: "status",
  licensed: "status", withdrawn: "login",
};
const STATE_LABEL = {
  created: "已创建", identity_verified: "实名认证通过", name_reserved: "名称已保留", details_completed: "信息已填写",
  documents_generated: "文书已生成", signed: "已签名", submitted: "已提交", in_review: "人工审核中",
  info_requested: "需补充材料", rejected: "审核未通过", approved: "审核通过", licence_revoked: "执照已吊销",
  licence_deregistered: "执照已注销",
  licensed: "执照已发放", withdrawn: "已撤回", active: "存续", revoked: "吊销", deregistered: "注销",
};
const label = (code) => STATE_LABEL[code] || code;
const session = JSON.parse(sessionStorage.getItem("kaiban-sim") || "{}");
const $ = (id) => document.getElementById(id);

function save() { sessionStorage.setItem("kaiban-sim", JSON.stringify(session)); }

class Problem extends Error {
  constructor(status, body) {
    super((body && (body.message || body.title)) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

async function call(method, path, body, { auth = true } = {}) {
  const headers = { "Accept": "application/json, application/problem+json", "Accept-Language": "zh-CN" };
  if (auth) headers["Authorization"] = `Bearer ${session.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Problem(response.status, data);
  return data;
}

function notice(text, ok = false) {
  const box = $("notice");
  box.textContent = text || "";
  box.hidden = !text;
  box.classList.toggle("ok", ok);
}

function show(screen) {
  for (const section of document.querySelectorAll("section[data-screen]")) {
    section.hidden = section.dataset.screen !== screen;
  }
  const reached = SCREENS.indexOf(screen);
  $("progress").innerHTML = SCREENS.map((_, i) => `<li class="${i <= reached ? "done" : ""}"></li>`).join("");
  $("bar-user").textContent = session.user || "";
  session.screen = screen;
  save();
  const enter = ENTER[screen];
  if (enter) enter().catch(fail);
}

function fail(error) {
  console.error(error);
  notice(error instanceof Problem ? `${error.message}（${error.body.code || error.status}）` : String(error));
}

// A click handler that disables its button while it runs and reports errors on the screen.
function action(id, fn) {
  $(id).addEventListener("click", async () => {
    const button = $(id);
    button.disabled = true;
    notice("");
    try { await fn(); } catch (error) { fail(error); } finally { button.disabled = false; }
  });
}

async function simulate(path, body) {
  return call("POST", `/mock/wechat/simulate/${path}`, { appid: session.appid, user: session.user, ...body }, { auth: false });
}

async function faceCheck(verifyId) {
  const outcome = document.querySelector("input[name=face]:checked")?.value || "pass";
  await simulate("face", { outcome: session.screen === "identity" ? outcome : "pass" });
  const result = await call("POST", `${API}/applications/${session.appId}/face-checks/${encodeURIComponent(verifyId)}/result`, {});
  if (result.status !== "passed") throw new Problem(409, { message: `人脸核身未通过：${result.status}`, code: result.status });
  return result;
}

// --- screens ------------------------------------------------------------------------------------------------------

const ENTER = {
  async login() {
    if (!$("login-user").value) $("login-user").value = `tester-${Math.random().toString(16).slice(2, 10)}`;
  },
  async identity() {
    const text = await call("GET", `${API}/consents/identity`);
    session.consentVersion = text.version;
    save();
    const rows = [["收集什么", text.what], ["为什么", text.why], ["保存多久", text.retention], ["如何撤回", text.withdrawal]];
    $("consent-text").innerHTML = rows.map(([k, v]) => `<dt>${k}</dt><dd>${escape((v || {})["zh-CN"] || "")}</dd>`).join("");
  },
  async name() { $("name-input").dispatchEvent(new Event("input")); },
  async details() {
    if (!$("details-deadline").value) {
      const due = new Date(); due.setFullYear(due.getFullYear() + 4);
      $("details-deadline").value = due.toISOString().slice(0, 10);
    }
  },
  async documents() {
    const app = await call("GET", `${API}/applications/${session.appId}`);
    renderDocuments($("documents-list"), app.documents || [], true);
    const ready = (app.documents || []).length > 0 && app.state === "documents_generated";
    $("documents-next").hidden = !ready;
  },
  async sign() {
    const app = await call("GET", `${API}/applications/${session.appId}`);
    renderDocuments($("sign-documents"), app.documents || [], false);
    $("sign-go").hidden = app.state === "signed";
    $("submit-go").hidden = app.state !== "signed";
  },
  async status() {
    const app = await call("GET", `${API}/applications/${session.appId}`);
    const timeline = await call("GET", `${API}/applications/${session.appId}/timeline`);
    const good = app.state === "licensed";
    $("status-state").textContent = good ? "已核准，营业执照已发放" : `当前状态：${label(app.state)}`;
    $("status-state").className = `status ${good ? "good" : ""}`;
    $("timeline").innerHTML = (timeline.items || []).map((item) =>
      `<li>${escape(label(item.step || ""))} · ${escape(item.at || "")} · 区块链记录 #${item.ledger_index ?? "…"}</li>`).join("");
    if (app.licence) session.uscc = app.licence.uscc;
    $("status-licence").hidden = !app.licence;
    save();
  },
  async licence() {
    const bundle = await call("GET", `${API}/licences/${session.uscc}`, undefined, { auth: false });
    const l = bundle.licence;
    const rows = [["名称", l.name], ["统一社会信用代码", l.uscc], ["类型", l.type], ["法定代表人", l.legal_representative],
      ["注册资本", l.registered_capital], ["成立日期", l.date_of_establishment], ["住所", l.address],
      ["经营范围", l.business_scope], ["登记机关", l.registration_authority], ["状态", label(bundle.status)]];
    $("licence-fields").innerHTML = rows.map(([k, v]) => `<dt>${k}</dt><dd>${escape(v ?? "")}</dd>`).join("");
    $("licence-qr").src = `${API}/licences/${session.uscc}/qr.svg`;
    $("licence-proof").textContent = `区块链存证：第 ${bundle.ledger.index} 条记录，已包含在规模为 ${bundle.ledger.inclusion.size} 的签名检查点中`;
    $("licence-proof").className = "status good";
  },
};

function escape(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function renderDocuments(list, documents, preview) {
  list.innerHTML = "";
  for (const doc of documents) {
    const item = document.createElement("li");
    item.innerHTML = `<b>${escape(doc.title || doc.kind)}</b><br>SHA-256 ${escape(doc.sha256.slice(0, 16))}…  ${doc.size ?? ""} 字节 `;
    if (preview) {
      const link = document.createElement("a");
      link.href = "#";
      link.textContent = "预览";
      link.addEventListener("click", (event) => { event.preventDefault(); previewDocument(doc).catch(fail); });
      item.appendChild(link);
    }
    list.appendChild(item);
  }
}

async function previewDocument(doc) {
  const response = await fetch(doc.url, { headers: { "Authorization": `Bearer ${session.token}` } });
  if (!response.ok) throw new Problem(response.status, await response.json().catch(() => null));
  const frame = $("document-preview");
  frame.src = URL.createObjectURL(await response.blob());
  frame.hidden = false;
}

action("login-go", async () => {
  const meta = await call("GET", `${API}/meta`, undefined, { auth: false });
  if (!meta.mock_mode) throw new Error("服务器未处于模拟模式，无法模拟微信登录");
  session.appid = meta.wechat_appid;
  session.user = $("login-user").value.trim();
  const code = await simulate("login-code", {});
  const tokens = await call("POST", `${API}/auth/wechat-login`, { code: code.code }, { auth: false });
  session.token = tokens.access_token;
  const mine = await call("GET", `${API}/applications`);
  const open = (mine.items || mine).find?.((a) => !["licensed", "withdrawn"].includes(a.state));
  const app = open || await call("POST", `${API}/applications`, { entity_type: "limited_liability_company" });
  session.appId = app.id;
  notice(open ? "已恢复未完成的申请" : "登录成功，已创建开办申请", true);
  show(SCREEN_OF_STATE[app.state] || "identity");
});

action("identity-go", async () => {
  if (!$("consent-accept").checked) throw new Error("请先阅读并同意个人信息处理说明");
  await call("POST", `${API}/applications/${session.appId}/consent`, { text_version: session.consentVersion, accept: true });
  const started = await call("PUT", `${API}/applications/${session.appId}/identity`, {
    name: $("identity-name").value.trim(), document_type: "mainland_resident_id",
    document_number: $("identity-number").value.trim().toUpperCase(),
  });
  await faceCheck(started.face_check.verify_id);
  notice("实名认证通过", true);
  show("name");
});

let idCheckSeq = 0;
$("identity-number").addEventListener("input", debounce(async () => {
  const number = $("identity-number").value.trim();
  const seq = ++idCheckSeq;
  if (number.length < 18) { $("identity-inline").textContent = ""; return; }
  try {
    const check = await call("POST", `${API}/identity/documents/check`, { type: "cn_resident_id", number }, { auth: false });
    if (seq !== idCheckSeq) return;
    $("identity-inline").textContent = check.valid ? "号码校验通过" : check.findings.map((f) => f.message).join("；");
    $("identity-inline").className = `findings status ${check.valid ? "good" : "bad"}`;
  } catch (error) { fail(error); }
}, 250));

$("identity-photo").addEventListener("change", () => {
  const file = $("identity-photo").files[0];
  $("photo-result").textContent = file ? `已选择 ${file.name}（${file.size} 字节）：证件识别接口上线后将自动填写` : "";
});

function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

let nameCheckSeq = 0;
async function checkName(name) {
  const seq = ++nameCheckSeq;
  $("name-go").disabled = true;
  const result = await call("POST", `${API}/names/check`, { name }, { auth: false });
  if (seq !== nameCheckSeq) return; // the applicant typed on: an older answer must not overwrite a newer one
  const usable = result.ok && result.available;
  $("name-status").textContent = usable ? "名称可以申报" : result.available === false ? "名称已被占用或冲突" : "名称不符合规则";
  $("name-status").className = `status ${usable ? "good" : "bad"}`;
  const items = [...(result.findings || []), ...(result.conflicts || []).map((c) => ({ severity: c.severity, message: `与「${c.name}」冲突（${c.match}）` }))];
  $("name-findings").innerHTML = items.map((f) =>
    `<li class="${f.severity === "error" ? "error" : ""}">${escape(f.message)}${f.hint ? `<span class="hint">${escape(f.hint)}</span>` : ""}</li>`).join("");
  $("name-suggestions").innerHTML = "";
  for (const suggestion of result.suggestions || []) {
    const chip = document.createElement("button");
    chip.textContent = typeof suggestion === "string" ? suggestion : suggestion.name;
    chip.addEventListener("click", () => { $("name-input").value = chip.textContent; $("name-input").dispatchEvent(new Event("input")); });
    $("name-suggestions").appendChild(chip);
  }
  $("name-go").disabled = !usable;
}

$("name-input").addEventListener("input", debounce(() => {
  const name = $("name-input").value.trim();
  if (name) checkName(name).catch(fail);
}, 200));

action("name-go", async () => {
  const answer = await call("PUT", `${API}/applications/${session.appId}/name`, { name: $("name-input").value.trim() });
  notice(`名称已保留至 ${answer.reservation?.expires_at || ""}`, true);
  show("details");
});

$("details-description").addEventListener("input", debounce(async () => {
  const description = $("details-description").value.trim();
  if (!description) return;
  try {
    const answer = await call("POST", `${API}/scope/recommend`, { description });
    $("scope-suggestions").innerHTML = "";
    for (const item of answer.items || []) {
      const chip = document.createElement("button");
      chip.textContent = item.name;
      chip.title = item.why || "";
      chip.addEventListener("click", () => {
        const lines = $("details-scope").value.split("\n").filter(Boolean);
        if (!lines.includes(item.name)) lines.push(item.name);
        $("details-scope").value = lines.join("\n");
      });
      $("scope-suggestions").appendChild(chip);
    }
  } catch (error) {
    if (error instanceof Problem && error.status === 404) return; // no recommender on this server: type the scope
    fail(error);
  }
}, 300));

action("details-go", async () => {
  await call("PUT", `${API}/applications/${session.appId}/details`, {
    address: $("details-address").value.trim(),
    business_scope: $("details-scope").value.split("\n").map((s) => s.trim()).filter(Boolean),
    registered_capital_cny: $("details-capital").value.trim(),
    contribution_deadline: $("details-deadline").value,
    liaison_phone: $("details-phone").value.trim(),
  });
  notice("企业信息已保存", true);
  show("documents");
});

action("documents-go", async () => {
  const answer = await call("POST", `${API}/applications/${session.appId}/documents`, {});
  renderDocuments($("documents-list"), answer.documents, true);
  $("documents-next").hidden = false;
  notice(`已生成 ${answer.documents.length} 份文书`, true);
});

const ROLE_LABELS = {
  shareholder: "股东", legal_representative: "法定代表人", director: "董事", chair: "董事长",
  executive_director: "执行董事", supervisor: "监事", manager: "经理", deputy_manager: "副经理",
  finance_officer: "财务负责人", liaison: "登记联络员",
};
const SIGNER_STATUS = { signed: "已签名", pending: "待签名", sign_again: "信息变更，需重新签名" };

function renderSigners(signers) {
  const list = $("signers");
  list.replaceChildren(...signers.map((s) => {
    const item = document.createElement("li");
    const who = s.company ? `${s.name}（代表 ${s.company}）` : s.name;
    item.textContent = `${who} · ${s.roles.map((r) => ROLE_LABELS[r] || r).join("、")} · ${SIGNER_STATUS[s.status] || s.status}${s.me ? " · 本人" : ""}`;
    return item;
  }));
}

action("documents-next", async () => {
  const status = await call("GET", `${API}/applications/${session.appId}/signatures`);
  renderSigners(status.signers);
  show("sign");
});

action("sign-go", async () => {
  const check = await call("POST", `${API}/applications/${session.appId}/face-checks`, {});
  await faceCheck(check.verify_id);
  const answer = await call("POST", `${API}/applications/${session.appId}/signatures`, {});
  renderSigners(answer.signing.signers);
  $("sign-go").hidden = true;
  if (answer.signing.complete) {
    notice("全部签署人已签名，可以提交", true);
    $("submit-go").hidden = false;
  } else {
    notice("您已签名，等待其他签署人在各自手机上签名", true);
  }
});

action("submit-go", async () => {
  const app = await call("POST", `${API}/applications/${session.appId}/submit`, {});
  if (app.licence) session.uscc = app.licence.uscc;
  notice(app.state === "licensed" ? "审核通过，营业执照已发放" : `审核结果：${label(app.state)}`, app.state === "licensed");
  show("status");
});

action("status-licence", async () => show("licence"));

action("licence-restart", async () => {
  const app = await call("POST", `${API}/applications`, { entity_type: "limited_liability_company" });
  session.appId = app.id;
  delete session.uscc;
  show("identity");
});

show(session.token && session.screen ? session.screen : "login");
