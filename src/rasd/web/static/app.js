/* rasd analyst page: Analyse one article, Explore the store. Plain JS, no network beyond this server. */
"use strict";

const KINDS = ["trigger", "place", "actor", "source", "figure", "date"];
const TYPE_COLOURS = {
  "Battles": "#c92a2a",
  "Explosions/Remote violence": "#e8590c",
  "Violence against civilians": "#862e9c",
  "Protests": "#1971c2",
  "Riots": "#0c8599",
  "Strategic developments": "#5c940d",
};
const I18N = {
  en: {
    tab_analyse: "Analyse", tab_explore: "Explore", api_docs: "API", article: "Article (Arabic text or HTML)",
    published: "Published", outlet: "Outlet", title: "Title", upload: "Upload a file", analyse: "Analyse",
    download: "Download JSON", date_from: "From", date_to: "To", country: "Country", admin1: "Region",
    event_type: "Event type", actor: "Actor", source: "Source", contested: "Contested", any: "any", yes: "yes",
    no: "no", apply: "Apply", export: "Export", timeline: "Events and fatalities per day", list: "Events",
    k_trigger: "event trigger", k_place: "place", k_actor: "actor", k_source: "source", k_figure: "figure",
    k_date: "date", date: "Date", place: "Place", actors: "Actors", fatalities: "Fatalities",
    low: "low", best: "best", high: "high", asserts: "asserts", denies: "denies", figures: "Figures",
    no_events: "No events found in this article.", working: "Analysing…", done: "events", lang_button: "العربية",
    civilians: "civilians targeted", weapons: "Weapons", outlets: "Outlets", members: "Reports",
    open_analyse: "Open in Analyse", loading: "Loading…", none: "none", all: "all", store_off: "Store unavailable",
    days: "days", events_n: "events", fat_line: "fatalities (best)", confidence: "confidence", warnings: "Warnings",
    need_text: "Paste or upload an article first.", outlet_voice: "(outlet's own voice)", evidence: "evidence",
  },
  ar: {
    tab_analyse: "تحليل", tab_explore: "استكشاف", api_docs: "الواجهة البرمجية", article: "المقال (نص عربي أو HTML)",
    published: "تاريخ النشر", outlet: "الوسيلة الإعلامية", title: "العنوان", upload: "رفع ملف", analyse: "حلّل",
    download: "تنزيل JSON", date_from: "من", date_to: "إلى", country: "البلد", admin1: "المحافظة",
    event_type: "نوع الحدث", actor: "الفاعل", source: "المصدر", contested: "متنازع عليه", any: "الكل", yes: "نعم",
    no: "لا", apply: "تطبيق", export: "تصدير", timeline: "الأحداث والقتلى يوميًا", list: "الأحداث",
    k_trigger: "لفظ الحدث", k_place: "مكان", k_actor: "فاعل", k_source: "مصدر", k_figure: "رقم",
    k_date: "تاريخ", date: "التاريخ", place: "المكان", actors: "الفاعلون", fatalities: "القتلى",
    low: "الأدنى", best: "الأرجح", high: "الأعلى", asserts: "يؤكد", denies: "ينفي", figures: "الأرقام",
    no_events: "لم يُعثر على أحداث في هذا المقال.", working: "جارٍ التحليل…", done: "أحداث", lang_button: "English",
    civilians: "استهداف مدنيين", weapons: "الأسلحة", outlets: "الوسائل", members: "التقارير",
    open_analyse: "افتح في التحليل", loading: "جارٍ التحميل…", none: "لا شيء", all: "الكل", store_off: "قاعدة البيانات غير متاحة",
    days: "أيام", events_n: "أحداث", fat_line: "القتلى (الأرجح)", confidence: "الثقة", warnings: "تنبيهات",
    need_text: "الصق نص مقال أو ارفعه أولًا.", outlet_voice: "(صوت الوسيلة نفسها)", evidence: "الدليل",
  },
};
const TYPE_AR = {
  "Battles": "معارك", "Explosions/Remote violence": "انفجارات/عنف عن بعد",
  "Violence against civilians": "عنف ضد المدنيين", "Protests": "احتجاجات", "Riots": "أعمال شغب",
  "Strategic developments": "تطورات استراتيجية",
};
const KIND_AR = {
  killed: "قتلى", injured: "جرحى", casualties: "قتلى وجرحى", displaced: "نازحون", abducted: "مختطفون",
  arrested: "معتقلون", captured: "أسرى", missing: "مفقودون", combatants: "مقاتلون",
};
const QUAL_AR = { exact: "دقيق", approx: "تقريبي", at_least: "على الأقل", at_most: "على الأكثر", vague: "مبهم", unquantified: "غير محدد" };
const GROUP_AR = { soldiers: "جنود", militants: "مسلحون", civilians: "مدنيون", children: "أطفال", women: "نساء", police: "شرطة", unknown: "غير معروف" };

const state = { lang: localStorage.getItem("rasd.lang") || "en", doc: null, text: "", explore: null };
const $ = (sel, root = document) => root.querySelector(sel);
const t = (key) => (I18N[state.lang] && I18N[state.lang][key]) || I18N.en[key] || key;
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const typeLabel = (ty) => (state.lang === "ar" && TYPE_AR[ty]) || ty || "?";
const kindLabel = (k) => (state.lang === "ar" && KIND_AR[k]) || k;
const num = (v) => (v === null || v === undefined ? "–" : Number(v).toLocaleString(state.lang === "ar" ? "ar-EG" : "en"));

async function api(path, opts) {
  const res = await fetch(path, opts);
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) {
    const err = new Error((body && body.detail) || `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return body;
}

/* ---------- language ---------- */

function applyLang() {
  const html = document.documentElement;
  html.lang = state.lang;
  html.dir = state.lang === "ar" ? "rtl" : "ltr";
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $("#lang-toggle").textContent = t("lang_button");
  renderLegend();
  fillTypeSelect();
  if (state.doc) {
    renderAnalysis();
    const st = $("#analyse-status");
    if (!st.classList.contains("error")) st.textContent = `${(state.doc.events || []).length} ${t("done")}`;
  }
  if (state.explore) {
    renderExplore();
    const st = $("#explore-status");
    if (!st.classList.contains("error")) st.textContent = `${state.explore.length} ${t("events_n")}`;
  }
}

/* ---------- Analyse ---------- */

function renderLegend() {
  $("#legend").innerHTML = KINDS.map((k) =>
    `<span class="k"><span class="sw" style="background:var(--${k})"></span>${esc(t("k_" + k))}</span>`).join("");
}

function sourceName(doc, sid) {
  const s = (doc.sources || []).find((x) => x.id === sid);
  if (!s) return { label: sid || "?", ar: "" };
  if (s.kind === "outlet") return { label: (doc.doc && doc.doc.outlet) || t("outlet_voice"), ar: "", src: s };
  const label = state.lang === "ar" ? (s.name_ar || s.name) : s.name;
  return { label, ar: state.lang === "ar" ? "" : (s.name_ar || ""), src: s };
}

function figureText(f) {
  let range = "";
  if (f.low == null && f.high != null) range = ` (≤${num(f.high)})`;
  else if (f.high == null && f.low != null) range = ` (≥${num(f.low)})`;
  else if (f.low !== f.high) range = ` (${num(f.low)}–${num(f.high)})`;
  const ar = state.lang === "ar";
  const qual = (ar && QUAL_AR[f.qualifier]) || f.qualifier;
  const group = f.group && f.group !== "unknown" ? ", " + ((ar && GROUP_AR[f.group]) || f.group) : "";
  return `${kindLabel(f.kind)} ${num(f.best)}${range}${ar ? "، " : ", "}${qual}${group}`;
}

/* Every highlighted span with what it was coded as; identical spans of one kind are merged. */
function annotations(doc) {
  const out = new Map();
  const add = (kind, span, html, evId) => {
    if (!span || span.length !== 2 || span[1] <= span[0]) return;
    const key = `${kind}:${span[0]}:${span[1]}`;
    const a = out.get(key) || { kind, start: span[0], end: span[1], notes: [], events: new Set() };
    if (!a.notes.includes(html)) a.notes.push(html);
    if (evId) a.events.add(evId);
    out.set(key, a);
  };
  for (const s of doc.sources || []) {
    for (const m of s.mentions || []) {
      add("source", m.span, `<b>${esc(t("k_source"))} ${esc(s.id)}</b>: ${esc(s.name)} ${s.name_ar ? "· " + esc(s.name_ar) : ""} (${esc(s.kind)}${s.party ? ", " + esc(s.party) : ""})`);
    }
  }
  for (const ev of doc.events || []) {
    const head = `${esc(ev.id)} · ${esc(typeLabel(ev.event_type))} / ${esc(ev.sub_event_type)}`;
    if (ev.trigger) add("trigger", ev.trigger.span, `<b>${esc(t("k_trigger"))}</b>: ${head}`, ev.id);
    const loc = ev.location;
    if (loc) add("place", loc.span, `<b>${esc(t("k_place"))}</b> (${esc(ev.id)}): ${esc(loc.name)} ${loc.name_ar ? "· " + esc(loc.name_ar) : ""} — ${esc([loc.admin1, loc.country].filter(Boolean).join(", "))}${loc.lat != null ? ` (${loc.lat.toFixed(3)}, ${loc.lon.toFixed(3)})` : ""}, geo_precision ${esc(loc.geo_precision)}, where_prec ${esc(loc.where_prec)}`, ev.id);
    const d = ev.date;
    if (d) add("date", d.span, `<b>${esc(t("k_date"))}</b> (${esc(ev.id)}): ${esc(d.start)}${d.end && d.end !== d.start ? " → " + esc(d.end) : ""} (time_precision ${esc(d.time_precision)}, date_prec ${esc(d.date_prec)})`, ev.id);
    for (const a of ev.actors || []) {
      add("actor", a.span, `<b>${esc(t("k_actor"))}</b> (${esc(ev.id)}, ${esc(a.role)}): ${esc(a.name)} [${esc(a.id)}], inter ${esc(a.inter)}`, ev.id);
    }
    for (const c of ev.claims || []) {
      const src = sourceName(doc, c.source);
      for (const f of c.figures || []) {
        add("figure", f.span, `<b>${esc(t("k_figure"))}</b> (${esc(ev.id)}): ${esc(figureText(f))} — ${esc(src.label)} <i>${esc(t(c.stance))}</i>`, ev.id);
      }
    }
  }
  return [...out.values()];
}

/* Split the text at every span boundary; each piece knows which annotations cover it. */
function renderArticle(text, anns) {
  const cuts = new Set([0, text.length]);
  anns.forEach((a) => { cuts.add(Math.max(0, Math.min(text.length, a.start))); cuts.add(Math.max(0, Math.min(text.length, a.end))); });
  const points = [...cuts].sort((x, y) => x - y);
  const prio = { figure: 0, trigger: 1, date: 2, place: 3, actor: 4, source: 5 };
  let html = "";
  for (let i = 0; i < points.length - 1; i++) {
    const [s, e] = [points[i], points[i + 1]];
    const piece = esc(text.slice(s, e));
    const cover = anns.map((a, idx) => [a, idx]).filter(([a]) => a.start <= s && a.end >= e);
    if (!cover.length) { html += piece; continue; }
    cover.sort(([a], [b]) => (a.end - a.start) - (b.end - b.start) || prio[a.kind] - prio[b.kind]);
    const kinds = [...new Set(cover.map(([a]) => a.kind))];
    const evs = [...new Set(cover.flatMap(([a]) => [...a.events]))];
    html += `<mark class="hl k-${cover[0][0].kind}" data-kinds="${kinds.join(" ")}" data-ann="${cover.map(([, i2]) => i2).join(",")}" data-events="${evs.join(",")}">${piece}</mark>`;
  }
  return html;
}

function claimsTable(doc, ev) {
  const rows = claimRows(ev.claims || [], doc);
  if (!rows) return "";
  return `<table class="claims"><thead><tr><th>${esc(t("source"))}</th><th></th><th>${esc(t("figures"))}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function eventCard(doc, ev) {
  const loc = ev.location;
  const d = ev.date;
  const fat = ev.fatalities || {};
  const actors = (ev.actors || []).map((a) => `${esc(a.role)}: ${esc(state.lang === "ar" ? (a.name_ar || a.name) : a.name)}`).join("<br>");
  const colour = TYPE_COLOURS[ev.event_type] || "#1f5fbf";
  return `<div class="card" id="card-${esc(ev.id)}" data-event="${esc(ev.id)}" style="border-inline-start-color:${colour}">
    <h4><span>${esc(ev.id)}</span><span class="badge type">${esc(typeLabel(ev.event_type))}</span><span>${esc(ev.sub_event_type)}</span>
      ${ev.contested ? `<span class="badge contested">${esc(t("contested"))}</span>` : ""}
      ${ev.civilian_targeting ? `<span class="badge contested">${esc(t("civilians"))}</span>` : ""}</h4>
    <dl class="meta">
      <dt>${esc(t("date"))}</dt><dd>${d ? esc(d.start) + (d.end && d.end !== d.start ? " → " + esc(d.end) : "") : "–"}</dd>
      <dt>${esc(t("place"))}</dt><dd>${loc ? esc(state.lang === "ar" ? (loc.name_ar || loc.name) : loc.name) + (loc.admin1 ? ", " + esc(loc.admin1) : "") + (loc.country ? " (" + esc(loc.country) + ")" : "") : "–"}</dd>
      <dt>${esc(t("actors"))}</dt><dd>${actors || "–"}</dd>
      ${ev.weapons && ev.weapons.length ? `<dt>${esc(t("weapons"))}</dt><dd>${esc(ev.weapons.join(", "))}</dd>` : ""}
      <dt>${esc(t("fatalities"))}</dt><dd class="fat">${esc(t("low"))} ${num(fat.low)} · <b>${esc(t("best"))} ${num(fat.best)}</b> · ${esc(t("high"))} ${num(fat.high)}</dd>
    </dl>
    ${claimsTable(doc, ev)}
  </div>`;
}

function renderAnalysis() {
  const doc = state.doc;
  $("#analyse-result").hidden = false;
  const anns = annotations(doc);
  state.anns = anns;
  $("#article").innerHTML = state.text ? renderArticle(state.text, anns) : `<span class="muted">${esc(t("none"))}</span>`;
  const warn = (doc.warnings || []).length ? `<div class="panel"><b>${esc(t("warnings"))}</b><ul>${doc.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul></div>` : "";
  $("#cards").innerHTML = ((doc.events || []).map((ev) => eventCard(doc, ev)).join("") || `<div class="panel">${esc(t("no_events"))}</div>`) + warn;
}

function showTip(mark, x, y) {
  const tip = $("#tip");
  const ids = (mark.dataset.ann || "").split(",").filter(Boolean).map(Number);
  tip.innerHTML = ids.map((i) => state.anns[i].notes.map((n) => `<div>${n}</div>`).join("")).join("");
  tip.hidden = false;
  const w = tip.offsetWidth, h = tip.offsetHeight;
  tip.style.left = `${Math.max(4, Math.min(window.innerWidth - w - 4, x + 12))}px`;
  tip.style.top = `${y + 16 + h > window.innerHeight ? y - h - 8 : y + 16}px`;
}

function focusEvents(mark) {
  document.querySelectorAll(".card.focus, mark.focus").forEach((el) => el.classList.remove("focus"));
  mark.classList.add("focus");
  const evs = (mark.dataset.events || "").split(",").filter(Boolean);
  evs.forEach((id) => { const c = document.getElementById("card-" + id); if (c) c.classList.add("focus"); });
  if (evs.length) { const c = document.getElementById("card-" + evs[0]); if (c) c.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
}

async function analyse(ev) {
  if (ev) ev.preventDefault();
  const text = $("#in-text").value;
  const status = $("#analyse-status");
  status.classList.remove("error");
  if (!text.trim()) { status.textContent = t("need_text"); status.classList.add("error"); return; }
  status.textContent = t("working");
  const body = { text, published: $("#in-published").value || null, outlet: $("#in-outlet").value || null,
    title: $("#in-title").value || null };
  try {
    const doc = await api("/v1/extract?include_text=true", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    state.text = doc.text;
    delete doc.text;
    state.doc = doc;
    renderAnalysis();
    status.textContent = `${(doc.events || []).length} ${t("done")}`;
    $("#btn-download").disabled = false;
  } catch (err) {
    status.textContent = err.message;
    status.classList.add("error");
  }
}

async function openDocument(docId) {
  showView("analyse");
  const status = $("#analyse-status");
  status.textContent = t("loading");
  status.classList.remove("error");
  try {
    const rec = await api(`/v1/documents/${encodeURIComponent(docId)}`);
    const doc = rec.document || rec.result || rec;
    const text = rec.text || (doc.doc && doc.doc.text) || "";
    state.doc = doc;
    state.text = text;
    $("#in-text").value = text;
    $("#in-published").value = (doc.doc && doc.doc.published) || "";
    $("#in-outlet").value = (doc.doc && doc.doc.outlet) || "";
    $("#in-title").value = (doc.doc && doc.doc.title) || "";
    renderAnalysis();
    status.textContent = `${docId}: ${(doc.events || []).length} ${t("done")}`;
    $("#btn-download").disabled = false;
  } catch (err) {
    status.textContent = err.message;
    status.classList.add("error");
  }
}

function download() {
  if (!state.doc) return;
  const blob = new Blob([JSON.stringify(state.doc, null, 2)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${(state.doc.doc && state.doc.doc.id) || "rasd-document"}.json`;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
}

/* ---------- Explore ---------- */

/* Store rows come from the DuckDB store or the in-memory one: read the fields either may use. */
function norm(row) {
  const loc = row.location || {};
  const fat = row.fatalities;
  const best = typeof fat === "number" ? fat : (fat && fat.best != null ? fat.best : (row.fatalities_best ?? row.best ?? 0));
  const date = (row.date && row.date.start) || row.date_start || row.event_date || (typeof row.date === "string" ? row.date : "");
  return {
    id: row.id ?? row.cluster_id ?? row.uid,
    type: row.event_type, sub: row.sub_event_type,
    lat: loc.lat ?? row.lat ?? row.latitude, lon: loc.lon ?? row.lon ?? row.longitude,
    place: loc.name ?? row.location_name ?? (typeof row.location === "string" ? row.location : ""),
    place_ar: loc.name_ar ?? row.location_ar, admin1: loc.admin1 ?? row.admin1, country: loc.country ?? row.country,
    best: Number(best) || 0, date: String(date || "").slice(0, 10), contested: !!row.contested,
    outlets: row.outlets || (row.outlet ? [row.outlet] : []), raw: row,
  };
}

let mapData = null;
async function loadMap() {
  if (!mapData) mapData = await (await fetch("/static/admin1.geojson")).json();
  return mapData;
}

function fillTypeSelect() {
  const sel = $("#f-type");
  const cur = sel.value;
  sel.innerHTML = `<option value="">${esc(t("all"))}</option>` + Object.keys(TYPE_COLOURS).map((ty) => `<option value="${esc(ty)}">${esc(typeLabel(ty))}</option>`).join("");
  sel.value = cur;
}

function filterQuery() {
  const params = new URLSearchParams();
  new FormData($("#filters")).forEach((v, k) => { if (v) params.set(k, v); });
  return params;
}

async function explore(ev) {
  if (ev) ev.preventDefault();
  const status = $("#explore-status");
  status.textContent = t("loading");
  status.classList.remove("error");
  const q = filterQuery();
  $("#export-links").innerHTML = ["acled-csv", "ucdp-csv", "geojson", "jsonl"].map((f) => {
    const p = new URLSearchParams(q); p.set("format", f);
    return `<a href="/v1/export?${p}">${f}</a>`;
  }).join("");
  try {
    await loadMap();
    const rows = [];
    for (let offset = 0; offset < 5000; offset += 1000) {
      const p = new URLSearchParams(q); p.set("limit", "1000"); p.set("offset", String(offset));
      const page = await api(`/v1/clusters?${p}`);
      rows.push(...page.items);
      if (page.next_offset == null) break;
    }
    state.explore = rows.map(norm);
    renderExplore();
    status.textContent = `${state.explore.length} ${t("events_n")}`;
  } catch (err) {
    state.explore = [];
    renderExplore();
    status.textContent = (err.status === 503 ? t("store_off") + ": " : "") + err.message;
    status.classList.add("error");
  }
}

function project(lon, lat) { return [lon * Math.cos(28 * Math.PI / 180), -lat]; }

function ringPath(ring) {
  return ring.map(([x, y], i) => { const [px, py] = project(x, y); return `${i ? "L" : "M"}${px.toFixed(3)},${py.toFixed(3)}`; }).join("") + "Z";
}

function renderMap(items) {
  const svg = $("#map");
  const feats = mapData ? mapData.features : [];
  const located = items.filter((r) => r.lat != null && r.lon != null);
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const extend = (lon, lat) => { const [x, y] = project(lon, lat); x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); };
  /* Fit the events that lie on the base map (a stray event abroad does not stretch it), at least ~4°. */
  feats.forEach((f) => f.geometry.coordinates.forEach((poly) => poly[0].forEach(([x, y]) => extend(x, y))));
  const [bx0, by0, bx1, by1] = [x0, y0, x1, y1];
  const onMap = located.map((r) => project(r.lon, r.lat)).filter(([x, y]) => x >= bx0 && x <= bx1 && y >= by0 && y <= by1);
  if (onMap.length) {
    [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    onMap.forEach(([x, y]) => { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); });
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, half = Math.max(2, (x1 - x0) * 0.6, (y1 - y0) * 0.6);
    [x0, x1, y0, y1] = [cx - half * 1.3, cx + half * 1.3, cy - half, cy + half];
  }
  if (!isFinite(x0)) { [x0, y0, x1, y1] = [project(30, 38)[0], -38, project(55, 10)[0], -10]; }
  const pad = Math.max(x1 - x0, y1 - y0) * 0.04;
  const vb = [x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad];
  svg.setAttribute("viewBox", vb.join(" "));
  svg.dataset.vb = vb.join(" ");
  const rect = svg.getBoundingClientRect();
  const unitsPerPx = Math.max(vb[2] / (rect.width || 800), vb[3] / (rect.height || 520));
  const paths = feats.map((f) => {
    const d = f.geometry.coordinates.map((poly) => poly.map(ringPath).join("")).join("");
    const name = state.lang === "ar" ? (f.properties.name_ar || f.properties.name) : f.properties.name;
    return `<path class="${f.properties.placetype === "country" ? "country" : "adm1"}" d="${d}"><title>${esc(name)}</title></path>`;
  });
  paths.sort((a, b) => (a.startsWith('<path class="country"') ? 1 : 0) - (b.startsWith('<path class="country"') ? 1 : 0));
  const pts = [...located].sort((a, b) => b.best - a.best).map((r) => {
    const [x, y] = project(r.lon, r.lat);
    const rad = (3 + 3 * Math.log10(1 + Math.max(0, r.best))) * unitsPerPx;  /* pixels: 3 at 0, 9 at 100, 12 at 1000 */
    return `<circle class="pt" data-id="${esc(r.id)}" cx="${x.toFixed(3)}" cy="${y.toFixed(3)}" r="${rad.toFixed(3)}" fill="${TYPE_COLOURS[r.type] || "#555"}"><title>${esc(r.date)} · ${esc(typeLabel(r.type))} · ${esc(r.place)} · ${esc(t("fatalities"))} ${num(r.best)}</title></circle>`;
  });
  svg.innerHTML = `<g class="outlines">${paths.join("")}</g><g class="points">${pts.join("")}</g>`;
  $("#map-legend").innerHTML = Object.entries(TYPE_COLOURS).map(([ty, c]) => `<span class="k"><span class="sw" style="background:${c}"></span>${esc(typeLabel(ty))}</span>`).join("");
}

function renderTimeline(items) {
  const svg = $("#timeline");
  const dated = items.filter((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.date));
  if (!dated.length) { svg.innerHTML = ""; return; }
  const dayMs = 86400000;
  const toDay = (s) => Math.round(Date.parse(s + "T00:00:00Z") / dayMs);
  const days = dated.map((r) => toDay(r.date)).sort((a, b) => a - b);
  /* A stray old date (a background event) must not squash the timeline: keep a month around the central 90%. */
  const q = (p) => days[Math.min(days.length - 1, Math.floor(p * days.length))];
  const d0 = Math.max(days[0], q(0.05) - 30), d1 = Math.min(days[days.length - 1], q(0.95) + 30);
  const inRange = dated.filter((r) => toDay(r.date) >= d0 && toDay(r.date) <= d1);
  const n = d1 - d0 + 1;
  const perDay = Array.from({ length: n }, () => ({ byType: {}, total: 0, fat: 0 }));
  inRange.forEach((r) => { const b = perDay[toDay(r.date) - d0]; b.byType[r.type] = (b.byType[r.type] || 0) + 1; b.total++; b.fat += r.best; });
  const W = 600, H = 200, L = 30, R = 30, T = 10, B = 22;
  const maxN = Math.max(...perDay.map((b) => b.total)), maxF = Math.max(1, ...perDay.map((b) => b.fat));
  const bw = (W - L - R) / n;
  let bars = "";
  perDay.forEach((b, i) => {
    let y = H - B;
    Object.keys(TYPE_COLOURS).forEach((ty) => {
      const c = b.byType[ty]; if (!c) return;
      const h = (c / maxN) * (H - T - B);
      y -= h;
      bars += `<rect x="${(L + i * bw).toFixed(2)}" y="${y.toFixed(2)}" width="${Math.max(0.5, bw - 1).toFixed(2)}" height="${h.toFixed(2)}" fill="${TYPE_COLOURS[ty]}"><title>${new Date((d0 + i) * dayMs).toISOString().slice(0, 10)} · ${esc(typeLabel(ty))}: ${c}</title></rect>`;
    });
  });
  const line = perDay.map((b, i) => `${i ? "L" : "M"}${(L + i * bw + bw / 2).toFixed(2)},${(H - B - (b.fat / maxF) * (H - T - B)).toFixed(2)}`).join("");
  const day = (i) => new Date((d0 + i) * dayMs).toISOString().slice(0, 10);
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.innerHTML = `${bars}<path d="${line}" fill="none" stroke="#111" stroke-width="1.5"><title>${esc(t("fat_line"))}</title></path>
    <line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#999"/>
    <text x="${L}" y="${H - 6}">${day(0)}</text><text x="${W - R}" y="${H - 6}" text-anchor="end">${day(n - 1)}</text>
    <text x="2" y="${T + 8}">${maxN}</text><text x="${W - 2}" y="${T + 8}" text-anchor="end">${num(maxF)}†</text>`;
}

function renderList(items) {
  const rows = [...items].sort((a, b) => (b.date || "").localeCompare(a.date || "") || b.best - a.best).slice(0, 500).map((r) => `
    <tr data-id="${esc(r.id)}"><td>${esc(r.date)}</td><td><span class="badge type" style="color:${TYPE_COLOURS[r.type] || "#333"}">${esc(typeLabel(r.type))}</span>${r.contested ? ` <span class="badge contested">${esc(t("contested"))}</span>` : ""}</td>
    <td>${esc(state.lang === "ar" ? (r.place_ar || r.place) : r.place)}${r.admin1 ? ", " + esc(r.admin1) : ""}</td><td class="fat">${num(r.best)}</td>
    <td>${esc((r.outlets || []).join(", "))}</td></tr>`).join("");
  $("#list").innerHTML = `<thead><tr><th>${esc(t("date"))}</th><th>${esc(t("event_type"))}</th><th>${esc(t("place"))}</th><th>${esc(t("fatalities"))}</th><th>${esc(t("outlets"))}</th></tr></thead><tbody>${rows}</tbody>`;
}

function renderExplore() {
  const items = state.explore || [];
  renderMap(items);
  renderTimeline(items);
  renderList(items);
  if (state.cluster) renderCluster(state.cluster);
}

async function openCluster(id) {
  try {
    const c = await api(`/v1/clusters/${encodeURIComponent(id)}`);
    state.cluster = c;
    renderCluster(c);
    $("#cluster-panel").scrollIntoView({ block: "nearest" });
    document.querySelectorAll("#map circle.sel").forEach((el) => el.classList.remove("sel"));
    const pt = document.querySelector(`#map circle[data-id="${CSS.escape(String(id))}"]`);
    if (pt) pt.classList.add("sel");
  } catch (err) {
    $("#explore-status").textContent = err.message;
  }
}

/* Claims with their source already resolved (cluster claims, store events) or resolved from a document. */
function claimRows(claims, doc) {
  return claims.map((c) => {
    let label = c.source_name, ar = "";
    if (doc) { const s = sourceName(doc, c.source); label = s.label; ar = s.ar; }
    if (c.source_kind === "outlet") label = c.outlet || t("outlet_voice");
    const figs = (c.figures || []).map((f) => `<div>${esc(figureText(f))} <span class="muted ar" dir="rtl">«${esc(f.text)}»</span></div>`).join("") || `<span class="muted">${esc(t("none"))}</span>`;
    return `<tr class="claim-row ${esc(c.stance)}"><td><div>${esc(label || c.source || "?")}</div>${ar ? `<div class="muted ar" dir="rtl">${esc(ar)}</div>` : ""}</td>
      <td><span class="badge ${esc(c.stance)}">${esc(t(c.stance))}</span></td><td>${figs}</td></tr>`;
  }).join("");
}

function renderCluster(c) {
  const panel = $("#cluster-panel");
  const r = norm(c);
  const fat = c.fatalities || {};
  let claims = c.claims;
  if (!claims) {
    claims = (c.member_events || []).flatMap((m) => (m.claims || []).map((cl) => ({ ...cl, doc_id: m.doc_id, outlet: m.doc && m.doc.outlet })));
  }
  const byDoc = new Map();
  (c.documents || []).forEach((d) => byDoc.set(d, []));
  claims.forEach((cl) => { if (!byDoc.has(cl.doc_id)) byDoc.set(cl.doc_id, []); byDoc.get(cl.doc_id).push(cl); });
  const meta = new Map((c.member_events || []).map((m) => [m.doc_id, m.doc || {}]));
  panel.hidden = false;
  panel.innerHTML = `<h3>${esc(typeLabel(r.type))} / ${esc(r.sub || "")} ${r.contested ? `<span class="badge contested">${esc(t("contested"))}</span>` : ""}</h3>
    <div>${esc(r.date)} · ${esc(state.lang === "ar" ? (r.place_ar || r.place) : r.place)}${r.admin1 ? ", " + esc(r.admin1) : ""} ·
      ${esc(t("fatalities"))}: ${esc(t("low"))} ${num(fat.low)} · <b>${esc(t("best"))} ${num(fat.best ?? r.best)}</b> · ${esc(t("high"))} ${num(fat.high)}</div>
    <div class="muted">${esc(t("outlets"))}: ${esc((c.outlets || []).join(", "))} · ${esc(t("members"))}: ${byDoc.size}</div>
    ${(c.disputes || []).length ? `<ul>${c.disputes.map((d) => `<li>${esc(d)}</li>`).join("")}</ul>` : ""}
    ${[...byDoc.entries()].map(([docId, cls]) => {
      const m = meta.get(docId) || {};
      const outlet = m.outlet || (cls[0] && cls[0].outlet) || "?";
      return `<div class="member"><b>${esc(outlet)}</b> ${m.published ? "· " + esc(m.published) : ""} ${m.title ? "· " + esc(m.title) : ""}
        · <a href="#doc/${encodeURIComponent(docId)}" class="open-doc">${esc(t("open_analyse"))}</a>
        ${cls.length ? `<table class="claims"><tbody>${claimRows(cls)}</tbody></table>` : ""}</div>`;
    }).join("")}`;
}

/* wheel zoom and drag pan on the map's viewBox */
function enableMapNavigation() {
  const svg = $("#map");
  const get = () => svg.getAttribute("viewBox").split(" ").map(Number);
  svg.addEventListener("wheel", (e) => {
    if (!svg.getAttribute("viewBox")) return;
    e.preventDefault();
    const [x, y, w, h] = get();
    const rect = svg.getBoundingClientRect();
    const fx = (e.clientX - rect.left) / rect.width, fy = (e.clientY - rect.top) / rect.height;
    const k = e.deltaY < 0 ? 0.8 : 1.25;
    svg.setAttribute("viewBox", [x + fx * w * (1 - k), y + fy * h * (1 - k), w * k, h * k].join(" "));
  }, { passive: false });
  let drag = null;
  svg.addEventListener("mousedown", (e) => { if (svg.getAttribute("viewBox")) drag = { x: e.clientX, y: e.clientY, vb: get() }; });
  window.addEventListener("mouseup", () => { drag = null; });
  window.addEventListener("mousemove", (e) => {
    if (!drag) return;
    const rect = svg.getBoundingClientRect();
    const [x, y, w, h] = drag.vb;
    svg.setAttribute("viewBox", [x - (e.clientX - drag.x) * w / rect.width, y - (e.clientY - drag.y) * h / rect.height, w, h].join(" "));
  });
  svg.addEventListener("dblclick", () => { if (svg.dataset.vb) svg.setAttribute("viewBox", svg.dataset.vb); });
}

/* ---------- routing ---------- */

function showView(name) {
  ["analyse", "explore"].forEach((v) => {
    $(`#view-${v}`).hidden = v !== name;
    $(`#tab-${v}`).classList.toggle("active", v === name);
    $(`#tab-${v}`).setAttribute("aria-selected", String(v === name));
  });
}

function route() {
  const h = decodeURIComponent(location.hash.replace(/^#/, ""));
  if (h.startsWith("doc/")) return openDocument(h.slice(4));
  if (h.startsWith("cluster/")) { showView("explore"); if (!state.explore) explore(); return openCluster(h.slice(8)); }
  if (h === "explore") { showView("explore"); if (!state.explore) explore(); return; }
  showView("analyse");
}

function init() {
  $("#analyse-form").addEventListener("submit", analyse);
  $("#btn-download").addEventListener("click", download);
  $("#in-file").addEventListener("change", async (e) => {
    const f = e.target.files[0];
    if (f) { $("#in-text").value = await f.text(); if (!$("#in-title").value) $("#in-title").value = f.name; }
  });
  $("#lang-toggle").addEventListener("click", () => {
    state.lang = state.lang === "ar" ? "en" : "ar";
    localStorage.setItem("rasd.lang", state.lang);
    applyLang();
  });
  const art = $("#article");
  art.addEventListener("mousemove", (e) => { const m = e.target.closest("mark.hl"); if (m) showTip(m, e.clientX, e.clientY); else $("#tip").hidden = true; });
  art.addEventListener("mouseleave", () => { $("#tip").hidden = true; });
  art.addEventListener("click", (e) => { const m = e.target.closest("mark.hl"); if (m) { focusEvents(m); showTip(m, e.clientX, e.clientY); } });
  $("#filters").addEventListener("submit", explore);
  $("#map").addEventListener("click", (e) => { const c = e.target.closest("circle.pt"); if (c) openCluster(c.dataset.id); });
  $("#list").addEventListener("click", (e) => { const tr = e.target.closest("tr[data-id]"); if (tr) openCluster(tr.dataset.id); });
  enableMapNavigation();
  window.addEventListener("hashchange", route);
  applyLang();
  route();
}

document.addEventListener("DOMContentLoaded", init);
