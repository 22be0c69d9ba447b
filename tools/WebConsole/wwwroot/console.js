// The console's page: plain DOM, no framework, nothing fetched but from the console itself.
"use strict";

const marker = { "X-Fn-Console": "1" };
const $ = (id) => document.getElementById(id);
let functions = [];

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function describeInstance(e) {
  const parts = [e.pid ? `pid ${e.pid}` : "spawning", e.state + (e.state === "idle" ? ` ${e.idleSeconds} s` : "")];
  parts.push(`${e.invocations} invocation${e.invocations === 1 ? "" : "s"}`);
  if (e.initMs !== null) parts.push(`init ${e.initMs} ms`);
  if (e.peakMemoryMb !== null) parts.push(`${e.peakMemoryMb} MB`);
  return parts.join(" · ");
}

// The pool's count, then one line per instance: which process, what it does, what it has done.
function instancesCell(row, i) {
  const td = cell(row, i ? `${i.live}: ${i.starting} starting, ${i.busy} busy, ${i.idle} idle` : "building", "instances");
  if (!i) return;
  const list = document.createElement("ul");
  for (const e of i.each) {
    const item = document.createElement("li");
    item.className = `instance instance-${e.state}`;
    item.textContent = describeInstance(e);
    list.append(item);
  }
  td.append(list);
}

async function loadFunctions() {
  const answer = await fetch("/api/functions");
  const body = await answer.json();
  functions = body.functions;
  $("build").textContent = body.build;
  const rows = $("functions").tBodies[0];
  rows.replaceChildren();
  for (const f of functions) {
    const row = rows.insertRow();
    row.dataset.function = f.name;
    cell(row, f.name);
    cell(row, f.routes.map((r) => `${r.key} (${r.access})`).join("\n") || "-");
    cell(row, f.url ?? "-");
    cell(row, `${f.memoryMb} MB`, "number");
    cell(row, `${f.timeoutSeconds} s`, "number");
    cell(row, f.tables.join(", ") || "-");
    const i = f.instances;
    instancesCell(row, i);
    cell(row, i ? String(i.invocations) : "-", "number invocations");
    cell(row, i ? String(i.coldStarts) : "-", "number cold-starts");
    cell(row, i && i.peakMemoryMb ? `${i.peakMemoryMb} MB` : "-", "number");
  }
  const filter = $("traffic-function");
  if (filter.options.length !== functions.length + 1) {
    const chosen = filter.value;
    filter.replaceChildren(new Option("any", ""), ...functions.map((f) => new Option(f.name, f.name)));
    filter.value = chosen;
  }
  const select = $("function");
  if (select.options.length !== functions.length) {
    const chosen = select.value;
    select.replaceChildren(...functions.map((f) => new Option(f.name, f.name)));
    if (chosen) select.value = chosen;
    await loadEvents();
  }
}

async function loadEvents() {
  const name = $("function").value;
  const answer = await fetch(`/api/functions/${encodeURIComponent(name)}/events`);
  const body = await answer.json();
  const select = $("event");
  const options = (body.events ?? []).map((e) => {
    const option = new Option(e.file, e.file);
    option.dataset.text = e.text;
    return option;
  });
  if (body.generated) {
    const option = new Option("generated from its declaration", "(generated)");
    option.dataset.text = body.generated;
    options.push(option);
  }
  select.replaceChildren(...options);
  $("save-prefix").textContent = `events/${name.toLowerCase().replaceAll(".", "-")}`;
  showEvent();
}

function showEvent() {
  const option = $("event").selectedOptions[0];
  $("event-text").value = option ? option.dataset.text : "{}";
}

function pretty(payload) {
  try {
    const answer = JSON.parse(payload);
    if (answer && typeof answer.body === "string") {
      try { answer.body = JSON.parse(answer.body); } catch { /* not JSON: shown as it is */ }
    }
    return { text: JSON.stringify(answer, null, 2), status: answer && answer.statusCode };
  } catch {
    return { text: payload, status: undefined };
  }
}

async function invoke() {
  $("invoke-error").hidden = true;
  const name = $("function").value;
  const answer = await fetch(`/api/functions/${encodeURIComponent(name)}/invoke`, {
    method: "POST",
    headers: { ...marker, "Content-Type": "application/json" },
    body: $("event-text").value,
  });
  const body = await answer.json();
  if (!answer.ok) {
    $("invoke-error").textContent = body.detail ?? `${answer.status}`;
    $("invoke-error").hidden = false;
    return;
  }
  const shown = pretty(body.payload);
  $("status").textContent = body.succeeded ? String(shown.status ?? "") : body.errorType;
  $("status").className = `status-${String(shown.status ?? 5)[0]}`;
  $("temperature").textContent = body.cold ? "cold start" : "warm";
  $("response").textContent = shown.text;
  // The REPORT line is shown on its own below the rest of the log.
  $("log").textContent = body.log.split("\n").filter((line) => !line.startsWith("REPORT ")).join("\n");
  $("report").textContent = body.report;
  $("result").hidden = false;
  await loadFunctions();
}

async function save() {
  const name = $("function").value;
  const answer = await fetch(`/api/functions/${encodeURIComponent(name)}/events`, {
    method: "POST",
    headers: { ...marker, "Content-Type": "application/json" },
    body: JSON.stringify({ case: $("case").value, text: $("event-text").value }),
  });
  const body = await answer.json();
  if (answer.ok) {
    // The saved event is listed and chosen before the page says it is saved.
    await loadEvents();
    $("event").value = body.file;
    showEvent();
  }
  $("saved").textContent = answer.ok ? `Saved as events/${body.file}` : body.detail;
  $("saved").className = answer.ok ? "" : "error";
}

function shownInTraffic(row) {
  const path = $("traffic-path").value;
  const status = $("traffic-status").value;
  const fn = $("traffic-function").value;
  return (!path || row.dataset.path.includes(path)) && (!status || row.dataset.status.startsWith(status))
    && (!fn || row.dataset.function === fn);
}

function prettyJson(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}

// A request of the list opened: the event its function got, the answer the client got, the invocation's log.
async function openRequest(requestId) {
  const answer = await fetch(`/api/request?id=${encodeURIComponent(requestId)}`);
  const body = await answer.json();
  $("detail-error").hidden = answer.ok;
  $("detail").hidden = !answer.ok;
  if (!answer.ok) {
    $("detail-error").textContent = body.detail ?? `${answer.status}`;
    return;
  }
  $("detail-id").textContent = body.requestId;
  $("detail-function").textContent = body.function ?? "answered by the gateway";
  $("detail-event").textContent = body.event === null ? "(no event: no function ran)" : prettyJson(body.event);
  $("detail-status").textContent = String(body.status);
  $("detail-status").className = `status-${String(body.status)[0]}`;
  $("detail-response").textContent = body.headers.map(([name, value]) => `${name}: ${value}`).join("\n") + "\n\n" + prettyJson(body.body);
  $("detail-log").textContent = body.log ?? "";
}

function filterTraffic() {
  for (const row of $("traffic").tBodies[0].rows) row.hidden = !shownInTraffic(row);
}

function listenToTraffic() {
  const source = new EventSource("/api/traffic");
  const kept = 200; // a long session keeps the page small
  const drawn = 50; // under load a batch holds hundreds: the newest are drawn, the page stays light on a shared CPU
  source.onmessage = (message) => {
    const rows = $("traffic").tBodies[0];
    // A batch of the requests of a quarter of a second, oldest first.
    for (const entry of JSON.parse(message.data).slice(-drawn)) {
      const row = rows.insertRow(0);
      row.dataset.path = entry.path;
      row.dataset.status = String(entry.status);
      row.dataset.function = entry.function ?? "";
      if (entry.requestId) {
        row.className = "openable";
        row.addEventListener("click", () => openRequest(entry.requestId));
      }
      row.hidden = !shownInTraffic(row);
      cell(row, new Date(entry.at).toLocaleTimeString());
      cell(row, entry.method);
      cell(row, entry.path);
      cell(row, entry.function ?? "-");
      cell(row, String(entry.status), `status-${String(entry.status)[0]}`);
      cell(row, String(entry.ms), "number");
      cell(row, entry.temperature);
      cell(row, entry.requestId ?? "-", "request-id");
    }
    while (rows.rows.length > kept) rows.deleteRow(-1);
  };
}

async function loadFigures() {
  const body = await (await fetch("/api/figures")).json();
  const figures = $("figures");
  figures.replaceChildren();
  for (const [kind, run] of Object.entries(body)) {
    const block = document.createElement("div");
    block.id = `figure-${kind}`;
    const heading = document.createElement("h3");
    const command = document.createElement("code");
    command.textContent = run?.command ?? `fn ${kind}`;
    heading.append(kind === "bench" ? "Benchmark " : "Memory sizes ", command);
    block.append(heading);
    if (!run) {
      const none = document.createElement("p");
      none.textContent = `No run yet: ${kind === "bench" ? "./fn bench" : "./fn tune FUNCTION"} writes one to artifacts/${kind}/.`;
      block.append(none);
    } else {
      const when = document.createElement("p");
      when.textContent = `${run.startedAt ?? ""} on ${run.machine ?? "?"}`;
      const pair = document.createElement("div");
      pair.className = "figure";
      const chart = document.createElement("img");
      chart.alt = `${kind} chart`;
      if (run.chart) chart.src = `${run.chart}?at=${encodeURIComponent(run.startedAt ?? "")}`;
      const tables = document.createElement("pre");
      tables.textContent = run.tables;
      pair.append(chart, tables);
      block.append(when, pair);
    }
    figures.append(block);
  }
}

$("function").addEventListener("change", loadEvents);
$("event").addEventListener("change", showEvent);
$("invoke").addEventListener("click", invoke);
$("save").addEventListener("click", save);
$("traffic-path").addEventListener("input", filterTraffic);
$("traffic-status").addEventListener("change", filterTraffic);
$("traffic-function").addEventListener("change", filterTraffic);
loadFunctions();
setInterval(loadFunctions, 2000);
listenToTraffic();
loadFigures();
