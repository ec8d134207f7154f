// plancheck page: no framework, no build step, no network beyond this server.
"use strict";

const NAMES = JSON.parse(document.getElementById("names").textContent);

const UI = {
  en: {
    skip: "Skip to content",
    tagline: "Is your social-media plan a strategy or a campaign — and what is missing?",
    textLabel: "Paste a marketing plan",
    textHint: `Arabic, English or both. Up to ${NAMES.max_text_chars.toLocaleString("en")} characters.`,
    fileLabel: "…or upload a document",
    fileHint: ".txt, .md, .docx or .pdf — the file is used instead of the text box.",
    clearFile: "Remove file",
    chooseFile: "Choose file",
    noFile: "No file chosen",
    apiKey: "API key (only if the server asks for one)",
    classify: "Classify",
    classifying: "Classifying…",
    done: "Done.",
    result: "Result",
    verdict: "This text is",
    confidence: "Confidence",
    checklist: {
      strategy: "Strategy elements",
      campaign: "What it would take to become a strategy",
    },
    bands: { sure: "Sure", likely: "Likely", unsure: "Uncertain" },
    runnerUp: (name, p) => `Runner-up: ${name} (${p})`,
    reasonsToward: (name) => `Words that pushed toward “${name}”`,
    yourText: "Your text, evidence highlighted",
    yourTextPlain: "Your text",
    signals: "Signals found",
    offline: "Works offline; your text is not stored.",
    present: "Stated",
    missing: "Missing",
    advice: "Advice",
    summary: (n, total) => `${n} of ${total} elements stated.`,
    noSignals: "No duration, offer, season or review cue found.",
    noReasons: "No single word stood out.",
    noEvidenceText: "The text is not available for highlighting.",
    days: (d) => (d < 1 ? enCount(Math.round(d * 24), "hour", "hours") : enCount(Math.round(d), "day", "days")),
    everyDays: (d) => (Math.round(d) === 1 ? "every day" : `every ${enCount(Math.round(d), "day", "days")}`),
    modelWord: "Model",
    fileWord: "File:",
    explain: {
      strategy: "A long-term plan for the whole social-media presence, starting from business goals and reviewed over time.",
      campaign: "A time-boxed push around one objective, offer, product, event or season, with a start and an end.",
      other: "This does not read as a social-media marketing plan.",
    },
    needText: "Paste a plan or choose a file first.",
    network: "Could not reach the server. Check that it is running and try again.",
    badResponse: (s) => `The server answered with an unexpected response (HTTP ${s}).`,
    needKey: "This server needs an API key: enter it below and classify again.",
    // By error code; the English page shows the server's own (more specific) message first.
    errors: {
      empty_text: "The text is empty: paste or upload a plan.",
      text_too_long: `The text is longer than ${NAMES.max_text_chars.toLocaleString("en")} characters: split the document or send only the plan.`,
      invalid_text: "The text contains characters that are not valid text. Copy it again from its source.",
      body_too_large: "The file or text is larger than the server accepts. Upload a smaller file or paste only the plan.",
      unsupported_file_type: "Unsupported file type. Upload a .txt, .md, .docx or .pdf file.",
      unreadable_document: "The file could not be read: it may be damaged, or not the kind of file its name says. Save it again or paste its text.",
      no_text: "The file has no text that can be read (it may be a scanned image). Paste the text instead.",
      document_too_large: "The file goes past the reading limits (too large or too complex). Split it or paste only the plan.",
      unauthorized: "This server needs an API key: enter it below and classify again.",
      model_not_loaded: "The server has no model loaded yet. Try again in a moment.",
    },
    errorCode: (s) => `The server refused the request (HTTP ${s}).`,
    outlineHint: "Take it further: an outline with what the text states for each element and the questions the client must answer.",
    outlineDocx: "Download outline",
    outlineMd: "or as Markdown",
    outlineBusy: "Preparing the outline…",
    outlineDone: "Outline downloaded.",
    langToggle: "العربية",
  },
  ar: {
    skip: "انتقل إلى المحتوى",
    tagline: "هل خطتك على وسائل التواصل الاجتماعي استراتيجية أم حملة؟ وما الذي ينقصها؟",
    textLabel: "الصق خطة تسويقية",
    textHint: `بالعربية أو الإنجليزية أو كلتيهما. حتى ${NAMES.max_text_chars.toLocaleString("ar-EG")} حرف.`,
    fileLabel: "…أو ارفع ملفاً",
    fileHint: "‎.txt أو ‎.md أو ‎.docx أو ‎.pdf — يُستخدم الملف بدلاً من مربع النص.",
    clearFile: "إزالة الملف",
    chooseFile: "اختر ملفاً",
    noFile: "لم يُختر ملف",
    apiKey: "مفتاح الواجهة البرمجية (فقط إن طلبه الخادم)",
    classify: "صنِّف",
    classifying: "جارٍ التصنيف…",
    done: "تم.",
    result: "النتيجة",
    verdict: "هذا النص",
    confidence: "درجة الثقة",
    checklist: {
      strategy: "عناصر الاستراتيجية",
      campaign: "ما تحتاجه لتصبح استراتيجية",
    },
    bands: { sure: "مؤكد", likely: "على الأرجح", unsure: "غير مؤكد" },
    runnerUp: (name, p) => `يليه: ${name} (${p})`,
    reasonsToward: (name) => `كلمات رجّحت «${name}»`,
    yourText: "نصك مع إبراز الشواهد",
    yourTextPlain: "نصك",
    signals: "الإشارات التي وُجدت",
    offline: "تعمل دون اتصال بالإنترنت؛ لا يُحفظ نصك.",
    present: "مذكور",
    missing: "ناقص",
    advice: "نصيحة",
    summary: (n, total) => `${n.toLocaleString("ar-EG")} من ${total.toLocaleString("ar-EG")} عناصر مذكورة.`,
    noSignals: "لم تُوجد إشارة إلى مدة أو عرض أو موسم أو مراجعة.",
    noReasons: "لم تبرز كلمة بعينها.",
    noEvidenceText: "النص غير متاح لإبراز الشواهد.",
    days: (d) => (d < 1 ? arCount(Math.round(d * 24), AR_HOURS) : arCount(Math.round(d), AR_DAYS)),
    everyDays: (d) => (Math.round(d) === 1 ? "كل يوم" : `كل ${arCount(Math.round(d), AR_DAYS, true)}`),
    modelWord: "النموذج",
    fileWord: "الملف:",
    explain: {
      strategy: "خطة طويلة المدى لكامل الحضور على وسائل التواصل، تنطلق من أهداف العمل وتُراجع دورياً.",
      campaign: "جهد محدد المدة حول هدف أو عرض أو منتج أو مناسبة أو موسم واحد، له بداية ونهاية.",
      other: "لا يبدو هذا النص خطة تسويقية لوسائل التواصل الاجتماعي.",
    },
    needText: "الصق خطة أو اختر ملفاً أولاً.",
    network: "تعذّر الوصول إلى الخادم. تأكد من تشغيله ثم حاول مرة أخرى.",
    badResponse: (s) => `أجاب الخادم بردٍّ غير متوقع (رمز ${s.toLocaleString("ar-EG")}).`,
    needKey: "يتطلب هذا الخادم مفتاحاً: أدخله في الأسفل ثم صنِّف مرة أخرى.",
    // By the error code the API returns: the Arabic page never shows the server's English.
    errors: {
      empty_text: "النص فارغ: الصق خطة أو ارفع ملفاً.",
      text_too_long: `النص أطول من الحد المسموح (${NAMES.max_text_chars.toLocaleString("ar-EG")} حرف): قسِّم المستند أو أرسل الخطة وحدها.`,
      invalid_text: "يحتوي النص على رموز غير صالحة. انسخه مرة أخرى من مصدره.",
      body_too_large: "الملف أو النص أكبر مما يقبله الخادم. ارفع ملفاً أصغر أو الصق نص الخطة وحدها.",
      unsupported_file_type: "نوع الملف غير مدعوم. ارفع ملفاً نصياً أو ملف ماركداون أو مستند وورد أو ملف بي دي إف.",
      unreadable_document: "تعذّرت قراءة الملف: قد يكون تالفاً أو ليس من النوع الذي يدل عليه اسمه. احفظه مرة أخرى أو الصق نصه.",
      no_text: "لا يحتوي الملف على نص يمكن قراءته (قد يكون صورة ممسوحة ضوئياً). الصق النص بدلاً منه.",
      document_too_large: "الملف يتجاوز حدود القراءة (كبير جداً أو معقد البنية). قسِّمه أو الصق نص الخطة وحدها.",
      unsupported_media_type: "أُرسل الطلب بصيغة لا يقبلها الخادم. أعد تحميل الصفحة ثم حاول مرة أخرى.",
      invalid_json: "تعذّر على الخادم فهم الطلب. أعد تحميل الصفحة ثم حاول مرة أخرى.",
      validation_error: "تعذّر على الخادم فهم الطلب. أعد تحميل الصفحة ثم حاول مرة أخرى.",
      bad_request: "تعذّر على الخادم فهم الطلب. أعد تحميل الصفحة ثم حاول مرة أخرى.",
      unauthorized: "يتطلب هذا الخادم مفتاحاً: أدخله في الأسفل ثم صنِّف مرة أخرى.",
      cross_site_request: "رفض الخادم طلباً مرسلاً من موقع آخر. افتح الصفحة من عنوان الخادم نفسه.",
      invalid_host: "رفض الخادم العنوان الذي فُتحت منه الصفحة. افتحها من عنوان الخادم نفسه.",
      model_not_loaded: "لا يوجد نموذج جاهز على الخادم بعد. حاول مرة أخرى بعد قليل.",
      reload_failed: "لا يوجد نموذج جاهز على الخادم بعد. حاول مرة أخرى بعد قليل.",
      internal_error: "حدث خطأ في الخادم. حاول مرة أخرى.",
    },
    errorCode: (s) => `رفض الخادم الطلب (رمز ${s.toLocaleString("ar-EG", { useGrouping: false })}).`,
    outlineHint: "الخطوة التالية: مخطط يعرض ما يذكره النص في كل عنصر، والأسئلة التي يجيب عنها العميل لاستكماله.",
    outlineDocx: "تنزيل المخطط",
    outlineMd: "أو بصيغة ماركداون",
    outlineBusy: "جارٍ إعداد المخطط…",
    outlineDone: "تم تنزيل المخطط.",
    langToggle: "English",
  },
};

const $ = (id) => document.getElementById(id);
let uiLang = "en";
let lastResult = null;
let lastText = null;
let lastError = null; // a function giving the shown error in the page's current language

function t(key) {
  return UI[uiLang][key];
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function setUiLang(lang) {
  uiLang = lang === "en" ? "en" : "ar";
  const root = document.documentElement;
  root.lang = uiLang;
  root.dir = uiLang === "ar" ? "rtl" : "ltr";
  for (const node of document.querySelectorAll("[data-i18n]")) {
    const value = UI[uiLang][node.dataset.i18n];
    if (typeof value === "string") node.textContent = value;
  }
  const toggle = $("lang-toggle");
  toggle.textContent = t("langToggle");
  toggle.lang = uiLang === "ar" ? "en" : "ar";
  showFileName();
  $("outline-status").textContent = "";
  if (lastResult) render(lastResult, lastText);
  if (lastError) drawError(lastError());
}

function labelName(id, lang) {
  return (NAMES.labels[id] || {})[lang] || id;
}

function elementName(id, lang = uiLang) {
  return (NAMES.elements[id] || {})[lang] || id;
}

// Arabic counted nouns: 1 and 2 have their own forms, 3–10 take the plural, 11 on the
// accusative singular. `oblique` gives the dual after a preposition or «كل» (يومين).
const AR_DAYS = ["يوم واحد", "يومان", "يومين", "أيام", "يوماً"];
const AR_HOURS = ["ساعة واحدة", "ساعتان", "ساعتين", "ساعات", "ساعة"];

function arCount(n, forms, oblique = false) {
  if (n <= 1) return forms[0];
  if (n === 2) return oblique ? forms[2] : forms[1];
  const digits = n.toLocaleString("ar-EG");
  return `${digits} ${n <= 10 ? forms[3] : forms[4]}`;
}

function enCount(n, one, many) {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

function pct(x) {
  const n = Math.round(Math.max(0, Math.min(1, Number(x) || 0)) * 100);
  return uiLang === "ar" ? `${n.toLocaleString("ar-EG")}٪` : `${n}%`;
}

// A number range ("2026–2027", "1-30") is wrapped in a left-to-right isolate: inside an
// Arabic line the bidi algorithm would otherwise show a dash-joined range backwards.
const LTR_RUN = /\d[\d.,:/]*(?:\s*[-–—]\s*\d[\d.,:/]*)+/g;

function bidiText(text) {
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(LTR_RUN)) {
    if (m.index > last) frag.append(document.createTextNode(text.slice(last, m.index)));
    frag.append(el("span", { class: "ltr-run", dir: "ltr", text: m[0] }));
    last = m.index + m[0].length;
  }
  if (last < text.length) frag.append(document.createTextNode(text.slice(last)));
  return frag;
}

// "Sure" / "Likely" / "Uncertain", with the summary's bands (NAMES.confidence_bands).
function band(conf) {
  const b = NAMES.confidence_bands || { sure: 0.9, likely: 0.7 };
  return conf >= b.sure ? "sure" : conf >= b.likely ? "likely" : "unsure";
}

// ---- errors and status --------------------------------------------------------------

// ``message``: a function of the page's language (redrawn when the language changes).
function showError(message) {
  lastError = message;
  drawError(message());
}

function drawError(text) {
  const box = $("error");
  box.replaceChildren(el("strong", { text: "⚠ " }), document.createTextNode(text));
  box.hidden = false;
}

function clearError() {
  lastError = null;
  $("error").hidden = true;
  $("error").replaceChildren();
}

// An API refusal: its status, its code and the server's (English) message.
function apiError(status, body) {
  const detail = (body && body.error) || {};
  const err = new Error(detail.message || "");
  err.status = status;
  err.code = detail.code || null;
  return err;
}

// What to show for an API refusal, in the page's language: the Arabic page words it from the
// error code (the server writes English); the English page shows the server's own message.
function errorText(err) {
  if (err.code === "bad_response") return t("badResponse")(err.status);
  if (uiLang === "en" && err.message) return err.message;
  return t("errors")[err.code] || t("errorCode")(err.status || 0);
}

function showFailure(err) {
  if (err instanceof TypeError) {
    showError(() => t("network"));
    return;
  }
  showError(() => errorText(err));
  if (err.status === 401) {
    $("key-box").open = true;
    $("api-key").focus();
  }
}

function setBusy(busy) {
  const button = $("classify");
  button.disabled = busy;
  button.setAttribute("aria-busy", busy ? "true" : "false");
  button.textContent = busy ? t("classifying") : t("classify");
  $("status").textContent = busy ? t("classifying") : "";
}

// ---- calling the API ----------------------------------------------------------------

async function callApi() {
  const file = $("file").files[0];
  const text = $("text").value;
  const headers = {};
  const key = $("api-key").value.trim();
  if (key) headers["X-API-Key"] = key;
  let url;
  let init;
  if (file) {
    const form = new FormData();
    form.append("file", file, file.name);
    url = "/v1/classify/file?include_text=true";
    init = { method: "POST", body: form, headers };
  } else {
    headers["Content-Type"] = "application/json";
    url = "/v1/classify";
    init = { method: "POST", body: JSON.stringify({ text }), headers };
  }
  const response = await fetch(url, init);
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  if (!response.ok) throw apiError(response.status, body);
  if (!body || !body.label) {
    const err = new Error("");
    err.status = response.status;
    err.code = "bad_response";
    throw err;
  }
  return { result: body, text: file ? body.text ?? null : text };
}

async function onSubmit(event) {
  event.preventDefault();
  clearError();
  const hasFile = $("file").files.length > 0;
  if (!hasFile && !$("text").value.trim()) {
    showError(() => t("needText"));
    $("text").focus();
    return;
  }
  setBusy(true);
  try {
    const { result, text } = await callApi();
    lastResult = result;
    lastText = text;
    $("outline-status").textContent = "";
    setUiLang(result.language === "en" ? "en" : "ar"); // renders the result too
    $("result").hidden = false;
    $("label-text").focus({ preventScroll: true });
    $("result").scrollIntoView({ behavior: "smooth", block: "start" });
  } catch (err) {
    showFailure(err);
    setBusy(false);
    return;
  }
  setBusy(false);
  $("status").textContent = t("done");
}

// ---- the outline download -----------------------------------------------------------

// The outline of the text last classified: the same text (or, failing that, the same file)
// posted to /v1/outline, saved under the name the server gives.
async function downloadOutline(format) {
  clearError();
  const headers = {};
  const key = $("api-key").value.trim();
  if (key) headers["X-API-Key"] = key;
  let url;
  let init;
  const file = $("file").files[0];
  if (typeof lastText === "string" && lastText) {
    headers["Content-Type"] = "application/json";
    url = "/v1/outline";
    init = { method: "POST", body: JSON.stringify({ text: lastText, format }), headers };
  } else if (file) {
    const form = new FormData();
    form.append("file", file, file.name);
    form.append("format", format);
    url = "/v1/outline/file";
    init = { method: "POST", body: form, headers };
  } else {
    showError(() => t("needText"));
    return;
  }
  const buttons = [$("outline-docx"), $("outline-md")];
  for (const b of buttons) b.disabled = true;
  $("outline-status").textContent = t("outlineBusy");
  try {
    const response = await fetch(url, init);
    if (!response.ok) {
      let body = null;
      try {
        body = await response.json();
      } catch (_) {
        body = null;
      }
      throw apiError(response.status, body);
    }
    const blob = await response.blob();
    const given = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    const name = given ? given[1] : `plancheck-outline.${format === "markdown" ? "md" : "docx"}`;
    const href = URL.createObjectURL(blob);
    const link = el("a", { href, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
    $("outline-status").textContent = t("outlineDone");
  } catch (err) {
    $("outline-status").textContent = "";
    showFailure(err);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

// ---- rendering ----------------------------------------------------------------------

function render(result, text) {
  const other = uiLang === "ar" ? "en" : "ar";
  const label = result.label;
  $("result").dataset.label = label;
  // The summary is written in the text's language (Arabic for mixed), whatever the page's.
  const summary = $("summary");
  const sumLang = result.language === "en" ? "en" : "ar";
  summary.textContent = result.summary || "";
  summary.lang = sumLang;
  summary.dir = sumLang === "ar" ? "rtl" : "ltr";
  summary.hidden = !result.summary;
  $("label-text").textContent = labelName(label, uiLang);
  $("label-text").setAttribute("tabindex", "-1");
  const alt = $("label-alt");
  alt.textContent = labelName(label, other);
  alt.lang = other;
  alt.dir = other === "ar" ? "rtl" : "ltr";
  alt.hidden = uiLang === "ar"; // the Arabic page carries no English words
  $("label-explain").textContent = t("explain")[label] || "";

  const conf = Number(result.confidence) || 0;
  $("conf-fill").style.width = pct(conf);
  $("conf-bar").setAttribute("aria-valuenow", String(Math.round(conf * 100)));
  $("conf-bar").setAttribute("aria-valuetext", pct(conf));
  $("conf-pct").textContent = pct(conf);
  $("conf-band").textContent = t("bands")[band(conf)];
  $("result").dataset.band = band(conf);
  // The runner-up is named when the verdict is not sure: what else the text could be.
  const ranked = NAMES.label_order
    .map((id) => [id, Number((result.probabilities || {})[id]) || 0])
    .sort((a, b) => b[1] - a[1]);
  const runner = $("runner-up");
  runner.hidden = !(ranked.length > 1 && band(conf) !== "sure" && ranked[1][0] !== label);
  runner.textContent = runner.hidden ? "" : t("runnerUp")(labelName(ranked[1][0], uiLang), pct(ranked[1][1]));

  const probs = $("probs");
  probs.replaceChildren();
  for (const id of NAMES.label_order) {
    const p = (result.probabilities || {})[id] ?? 0;
    probs.append(
      el("li", { class: id === label ? "chosen" : "" },
        el("span", { class: "p-name", text: labelName(id, uiLang) }),
        el("span", { class: "p-val", text: pct(p) })),
    );
  }

  // Not a plan: no checklist (a job ad's salary line is not a budget), only the verdict,
  // the summary and what pushed it there.
  $("checklist-box").hidden = label === "other";
  $("outline-box").hidden = label === "other"; // an outline is a plan's next step
  $("elements-title").textContent = (t("checklist")[label] || t("checklist").strategy);
  $("reasons-title").textContent = t("reasonsToward")(labelName(label, uiLang));
  $("doc-title").textContent = label === "other" ? t("yourTextPlain") : t("yourText");
  renderElements(result);
  renderDoc(result, text);
  renderSignals(result);
  renderReasons(result);

  // Version and file name in <bdi>: "20261126-0642-8907f5" must not be reordered in RTL.
  const meta = $("meta");
  meta.replaceChildren(t("modelWord"), " ", el("bdi", { text: result.model_version || "?" }));
  if (result.filename) {
    meta.append(" · ", t("fileWord"), " ", el("bdi", { text: result.filename }));
  }
}

function renderElements(result) {
  const list = $("elements");
  list.replaceChildren();
  const advice = new Map((result.advice || []).map((a) => [a.element, a.message]));
  const elements = result.elements || [];
  let present = 0;
  for (const item of elements) {
    const li = el("li", {
      class: `el ${item.present ? "present" : "missing"}`,
      "data-element": item.id,
    });
    const head = el("div", { class: "el-head" },
      el("span", { class: "tick", "aria-hidden": "true", text: item.present ? "✓" : "✗" }),
      el("span", { class: `swatch el-${item.id}`, "aria-hidden": "true" }),
      el("span", { class: "el-name", text: elementName(item.id) }),
      el("span", { class: "el-state", text: item.present ? t("present") : t("missing") }));
    li.append(head);
    if (item.present) {
      present += 1;
      for (const ev of item.evidence || []) {
        li.append(el("blockquote", { class: "evidence", dir: "auto" }, bidiText(ev)));
      }
    } else {
      const message = advice.get(item.id);
      if (message) {
        li.append(el("p", { class: "advice", dir: "auto" },
          el("span", { class: "advice-tag", text: `${t("advice")}: ` }), message));
      }
    }
    list.append(li);
  }
  $("elements-summary").textContent = t("summary")(present, elements.length);
}

// Spans are offsets in Unicode code points (Python); JS strings index UTF-16 units, so
// the text is split into code points before slicing (emoji are common in these plans).
function renderDoc(result, text) {
  const doc = $("doc");
  doc.replaceChildren();
  if (typeof text !== "string" || !text) {
    doc.append(el("p", { class: "hint", text: t("noEvidenceText") }));
    return;
  }
  const chars = Array.from(text);
  const n = chars.length;
  const cover = [];
  const cuts = new Set([0, n]);
  // A text that is not a plan has no elements to show, so none is highlighted in it.
  for (const item of result.label === "other" ? [] : result.elements || []) {
    if (!item.present) continue;
    for (const span of item.spans || []) {
      const s = Math.max(0, Math.min(n, span[0] | 0));
      const e = Math.max(s, Math.min(n, span[1] | 0));
      if (e <= s) continue;
      cover.push([s, e, item.id]);
      cuts.add(s);
      cuts.add(e);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i < points.length - 1; i++) {
    const s = points[i];
    const e = points[i + 1];
    const piece = chars.slice(s, e).join("");
    const ids = [...new Set(cover.filter(([cs, ce]) => cs <= s && e <= ce).map((c) => c[2]))];
    if (!ids.length) {
      doc.append(bidiText(piece));
      continue;
    }
    const names = ids.map((id) => elementName(id)).join(uiLang === "ar" ? "، " : ", ");
    const mark = el("mark", { class: `hl el-${ids[0]}`, title: names, "data-elements": ids.join(" ") }, bidiText(piece));
    mark.append(el("span", { class: "sr-only", text: ` (${names})` }));
    doc.append(mark);
  }
}

function renderSignals(result) {
  const list = $("signals");
  list.replaceChildren();
  const signals = result.signals || [];
  if (!signals.length) {
    list.append(el("li", { class: "empty", text: t("noSignals") }));
    return;
  }
  const kinds = NAMES.signal_kinds || {};
  for (const s of signals) {
    const kind = (kinds[s.kind] || {})[uiLang] || String(s.kind || "").replace(/_/g, " ");
    const li = el("li", { "data-kind": s.kind },
      el("span", { class: "kind", text: kind }),
      el("span", { class: "sig-text", dir: "auto", text: s.text || "" }));
    if (typeof s.days === "number" && s.days > 0) {
      li.append(el("span", { class: "days", text: t("days")(s.days) }));
    }
    if (typeof s.every_days === "number" && s.every_days >= 1) {
      li.append(el("span", { class: "days", text: t("everyDays")(s.every_days) }));
    }
    list.append(li);
  }
}

function renderReasons(result) {
  const list = $("reasons");
  list.replaceChildren();
  const reasons = result.reasons || [];
  if (!reasons.length) {
    list.append(el("li", { class: "empty", text: t("noReasons") }));
    return;
  }
  // A bar, not a number: how strongly each word pushed toward the verdict, relative to the
  // strongest. The raw weights stay in the JSON for those who want them.
  const top = Math.max(...reasons.map((r) => Math.abs(Number(r.weight) || 0)), 1e-9);
  for (const r of reasons) {
    const w = Number(r.weight) || 0;
    const share = Math.round((Math.abs(w) / top) * 100);
    const bar = el("span", { class: "weight-bar", "aria-hidden": "true" });
    bar.style.width = `${Math.max(share, 4)}%`;
    list.append(el("li", { class: w < 0 ? "neg" : "pos" },
      el("span", { class: "term", dir: "auto", text: r.term }),
      el("span", { class: "weight" }, bar)));
  }
}

// ---- wiring -------------------------------------------------------------------------

function showFileName() {
  const file = $("file").files[0];
  const name = $("file-name");
  name.textContent = file ? file.name : t("noFile");
  name.dir = "auto";
}

function onFileChange() {
  const hasFile = $("file").files.length > 0;
  $("clear-file").hidden = !hasFile;
  $("text").disabled = hasFile;
  showFileName();
}

document.addEventListener("DOMContentLoaded", () => {
  $("form").addEventListener("submit", onSubmit);
  $("outline-docx").addEventListener("click", () => downloadOutline("docx"));
  $("outline-md").addEventListener("click", () => downloadOutline("markdown"));
  $("file").addEventListener("change", onFileChange);
  $("clear-file").addEventListener("click", () => {
    $("file").value = "";
    onFileChange();
    $("file").focus();
  });
  $("lang-toggle").addEventListener("click", () => setUiLang(uiLang === "ar" ? "en" : "ar"));
  const prefersArabic = (navigator.language || "").toLowerCase().startsWith("ar");
  setUiLang(prefersArabic ? "ar" : "en");
});
