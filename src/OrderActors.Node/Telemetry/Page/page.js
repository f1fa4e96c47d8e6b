// The operator page: polls /api/admin/overview every 2 s and draws it. No framework, nothing from elsewhere.
"use strict";
(() => {
  const POLL_MS = 2000, HISTORY_MS = 5 * 60 * 1000, KEY = "orderactors.key";
  const $ = id => document.getElementById(id);
  const history = []; // {t, accepted, delivered}
  const selected = new Set(); // parked delivery ids ticked
  const open = new Set(); // parked groups shown with their ids
  let keyAsked = false;

  const fmt = n => n == null ? "–" : Number(n).toLocaleString("en-US");
  const secs = s => s == null ? "–" : s < 1 ? `${(s * 1000).toFixed(s < 0.01 ? 1 : 0)} ms` : s < 120 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`;
  const time = t => t ? new Date(t).toLocaleTimeString() : "";
  const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  async function api(path, options = {}) {
    const headers = { ...(options.headers || {}) };
    const key = sessionStorage.getItem(KEY);
    if (key) headers.Authorization = `Bearer ${key}`;
    if (options.body) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { ...options, headers });
    if (response.status === 401) {
      askForKey(key ? "That key was refused (unknown, mistyped or revoked)." : "");
      throw new Error("this node needs an API key");
    }
    const body = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text();
    if (!response.ok) throw new Error(body?.detail || `${response.status} ${response.statusText}`);
    return body;
  }

  function askForKey(why) {
    $("key-button").hidden = false;
    $("key-error").textContent = why;
    if (!$("key-dialog").open) $("key-dialog").showModal();
    keyAsked = true;
  }

  $("key-form").addEventListener("submit", () => {
    sessionStorage.setItem(KEY, $("key-input").value.trim());
    $("key-input").value = "";
    poll();
  });
  $("key-button").addEventListener("click", () => askForKey(""));

  function showError(message) {
    $("error").hidden = !message;
    $("error").textContent = message || "";
    $("live").classList.toggle("stale", !!message);
  }

  function rate(field) {
    if (history.length < 2) return null;
    const last = history[history.length - 1];
    let first = history[0];
    for (let i = history.length - 2; i >= 0; i--) { first = history[i]; if (last.t - history[i].t >= 5000) break; }
    return (last[field] - first[field]) / ((last.t - first.t) / 1000);
  }

  function drawRates() {
    const canvas = $("rates"), ctx = canvas.getContext("2d");
    const width = canvas.width = canvas.clientWidth * devicePixelRatio, height = canvas.height = 120 * devicePixelRatio;
    ctx.clearRect(0, 0, width, height);
    if (history.length < 2) return;
    const points = [];
    for (let i = 1; i < history.length; i++) {
      const dt = (history[i].t - history[i - 1].t) / 1000;
      points.push({ t: history[i].t, a: (history[i].accepted - history[i - 1].accepted) / dt, d: (history[i].delivered - history[i - 1].delivered) / dt });
    }
    const max = Math.max(1, ...points.map(p => Math.max(p.a, p.d))), t0 = Date.now() - HISTORY_MS;
    const x = t => (t - t0) / HISTORY_MS * width, y = v => height - 4 - v / max * (height - 20);
    for (const [field, color] of [["a", "#2f6fd6"], ["d", "#3a9d5d"]]) {
      ctx.beginPath(); ctx.strokeStyle = color; ctx.lineWidth = 2 * devicePixelRatio;
      points.forEach((p, i) => i ? ctx.lineTo(x(p.t), y(p[field])) : ctx.moveTo(x(p.t), y(p[field])));
      ctx.stroke();
    }
    ctx.fillStyle = "#6b7385"; ctx.font = `${11 * devicePixelRatio}px system-ui`;
    ctx.fillText(`${fmt(Math.round(max))}/s`, 4, 12 * devicePixelRatio);
  }

  function level(cell, paused) {
    if (paused && cell.lag > 0) return 2;
    if (cell.lag === 0) return 0;
    return cell.lagSeconds != null && cell.lagSeconds < 10 ? 1 : 2;
  }

  function render(o) {
    $("node").textContent = o.node;
    const now = Date.now();
    history.push({ t: now, accepted: o.totals.accepted, delivered: o.totals.delivered });
    while (history.length && now - history[0].t > HISTORY_MS) history.shift();
    const acceptedRate = rate("accepted"), deliveredRate = rate("delivered");
    $("accepted-rate").textContent = acceptedRate == null ? "–" : fmt(Math.round(acceptedRate));
    $("delivered-rate").textContent = deliveredRate == null ? "–" : fmt(Math.round(deliveredRate));
    $("accepted-total").textContent = fmt(o.totals.accepted);
    $("processed-total").textContent = fmt(o.totals.processed);
    $("delivered-total").textContent = fmt(o.totals.delivered);
    $("parked-total").textContent = fmt(o.totals.parked);
    const q = x => x ? `${secs(x.p50)} / ${secs(x.p99)}` : "–";
    $("accept-latency").textContent = o.latency ? q(o.latency.accept) : "metrics off";
    $("e2e-latency").textContent = o.latency ? q(o.latency.endToEnd ?? o.latency.processing) : "metrics off";
    $("e2e-latency").title = o.latency?.endToEnd ? "accepted → delivered to a webhook receiver" : "accepted → processed (no webhook deliveries yet)";
    drawRates();

    const queues = Math.max(0, ...o.units.map(u => u.queues.length));
    $("heat").innerHTML = `<tr><th>unit</th>${Array.from({ length: queues }, (_, k) => `<th>queue ${k}</th>`).join("")}<th>waiting</th></tr>` +
      o.units.map(u => `<tr class="unit-row${u.paused ? " paused" : ""}" data-unit="${esc(u.unit)}"><td class="unit">${esc(u.unit)}</td>` +
        u.queues.map(c => `<td class="cell level-${level(c, u.paused)}" data-unit="${esc(u.unit)}" data-queue="${c.queue}" data-lag="${c.lag}"
          title="${esc(`${u.unit}-${c.queue} on ${c.node || "?"}: processed ${c.processed}, delivered ${c.delivered}, parked ${c.parked}${c.lastError ? ", last error: " + c.lastError : ""}`)}">
          ${fmt(c.lag)}<br><span class="muted">${c.lag ? secs(c.lagSeconds) : ""}</span></td>`).join("") +
        `<td>${fmt(u.waiting)}</td></tr>`).join("");
    $("first-queues").textContent = "first queues (stored, not yet handed on): " +
      o.firstQueues.map(f => `${f.queue}: ${fmt(f.depth)}`).join(" · ");

    $("delivery").innerHTML = `<tr><th>unit</th><th>mode</th><th>paused</th><th>waiting</th><th>in flight</th><th>last error</th><th></th></tr>` +
      o.units.map(u => `<tr data-unit="${esc(u.unit)}"><td>${esc(u.unit)}</td><td>${esc(u.mode)}</td><td class="wrap">${esc(u.paused ?? "")}</td>
        <td>${fmt(u.waiting)}</td><td>${fmt(u.inFlight)}</td><td class="wrap">${esc(u.lastError ?? "")}</td>
        <td>${u.mode === "webhook" ? `<button class="secondary ${u.paused ? "resume" : "pause"}" data-unit="${esc(u.unit)}">${u.paused ? "resume" : "pause"}</button>` : ""}</td></tr>`).join("");

    const groupKey = g => `${g.unit}|${g.status}|${g.error}`;
    $("parked").innerHTML = o.parked.length === 0 ? `<tr><td class="muted">none</td></tr>` :
      `<tr><th></th><th>unit</th><th>reason</th><th>orders</th><th>first</th><th>last</th><th></th></tr>` +
      o.parked.map((g, i) => `<tr class="parked-group" data-unit="${esc(g.unit)}" data-count="${g.count}" data-index="${i}">
          <td><input type="checkbox" class="pick-group" data-index="${i}" ${g.deliveryIds.every(id => selected.has(id)) ? "checked" : ""} aria-label="select the group"></td>
          <td>${esc(g.unit)}</td><td class="wrap">${esc(g.error)}</td><td>${fmt(g.count)}</td><td>${time(g.firstParkedAt)}</td><td>${time(g.lastParkedAt)}</td>
          <td><button class="retry-group" data-index="${i}">retry</button> <button class="secondary archive-group" data-index="${i}">archive</button>
              <button class="secondary show-ids" data-key="${esc(groupKey(g))}">${open.has(groupKey(g)) ? "hide" : "orders"}</button></td></tr>` +
        (open.has(groupKey(g)) ? `<tr><td></td><td colspan="6" class="ids wrap">${g.deliveryIds.map(id =>
          `<label><input type="checkbox" class="pick-id" value="${esc(id)}" ${selected.has(id) ? "checked" : ""}>${esc(id)}</label>`).join(" ")}</td></tr>` : "")
      ).join("") +
      `<tr><td colspan="7"><button id="retry-selected" ${selected.size ? "" : "disabled"}>retry selected (${selected.size})</button>
        <button id="archive-selected" class="secondary" ${selected.size ? "" : "disabled"}>archive selected</button></td></tr>`;
    current.parked = o.parked;

    $("members").innerHTML = `<tr><th>member</th><th>status</th><th>shards</th></tr>` +
      o.members.map(m => `<tr><td class="wrap">${esc(m.address)}${m.leader ? " <span class=muted>(leader)</span>" : ""}${m.reachable ? "" : " <span class=error>unreachable</span>"}</td>
        <td>${esc(m.status)}</td><td>${Object.entries(m.shards).map(([k, v]) => `${esc(k)} ${v}`).join(" · ")}</td></tr>`).join("");

    $("replenishment").innerHTML = o.replenishment.length === 0 ? `<tr><td class="muted">nothing to order</td></tr>` :
      `<tr><th>sku</th><th>product</th><th>manufacturer</th><th>quantity</th><th>value</th></tr>` +
      o.replenishment.map(l => `<tr><td>${esc(l.sku)}</td><td class="wrap">${esc(l.name)}</td><td class="wrap">${esc(l.manufacturer)}</td><td>${fmt(l.quantity)}</td><td>${fmt(l.value)}</td></tr>`).join("");

    $("rejected").innerHTML = o.rejected.length === 0 ? `<tr><td class="muted">none</td></tr>` :
      `<tr><th>at</th><th>order</th><th>status</th><th>reason</th><th>detail</th></tr>` +
      o.rejected.map(r => `<tr class="rejection"><td>${time(r.at)}</td><td>${esc(r.orderId ?? "")}</td><td>${r.status}</td><td>${esc(r.reason)}</td><td class="wrap">${esc(r.detail)}</td></tr>`).join("");
  }

  const current = { parked: [] };

  async function act(path, byUnit) {
    const results = [];
    for (const [unit, ids] of byUnit) {
      const r = await api(path, { method: "POST", body: JSON.stringify({ unit, deliveryIds: ids }) });
      results.push(`${unit}: ${r.applied.length} ${path.endsWith("retry") ? "sent again" : "archived"}${r.skipped.length ? `, ${r.skipped.length} skipped` : ""}`);
      ids.forEach(id => selected.delete(id));
    }
    $("parked-result").textContent = results.join("; ");
    poll();
  }

  const unitsOf = ids => {
    const byUnit = new Map();
    for (const id of ids) { const unit = id.split(":")[0]; byUnit.set(unit, [...(byUnit.get(unit) || []), id]); }
    return byUnit;
  };

  document.addEventListener("click", async event => {
    const t = event.target;
    try {
      if (t.classList.contains("retry-group") || t.classList.contains("archive-group")) {
        const g = current.parked[Number(t.dataset.index)];
        await act(t.classList.contains("retry-group") ? "/api/admin/parked/retry" : "/api/admin/parked/archive", new Map([[g.unit, g.deliveryIds]]));
      } else if (t.id === "retry-selected" || t.id === "archive-selected") {
        await act(t.id === "retry-selected" ? "/api/admin/parked/retry" : "/api/admin/parked/archive", unitsOf([...selected]));
      } else if (t.classList.contains("show-ids")) {
        open.has(t.dataset.key) ? open.delete(t.dataset.key) : open.add(t.dataset.key);
        poll();
      } else if (t.classList.contains("pause") || t.classList.contains("resume")) {
        await api(`/api/admin/units/${encodeURIComponent(t.dataset.unit)}/delivery/${t.classList.contains("pause") ? "pause" : "resume"}`,
          { method: "POST", body: t.classList.contains("pause") ? JSON.stringify({ reason: "paused from the operator page" }) : undefined });
        poll();
      } else if (t.id === "trace-close") {
        $("trace-panel").hidden = true;
      }
    } catch (e) { showError(e.message); }
  });

  document.addEventListener("change", event => {
    const t = event.target;
    if (t.classList.contains("pick-group")) {
      for (const id of current.parked[Number(t.dataset.index)].deliveryIds) t.checked ? selected.add(id) : selected.delete(id);
    } else if (t.classList.contains("pick-id")) {
      t.checked ? selected.add(t.value) : selected.delete(t.value);
    } else return;
    $("retry-selected").disabled = $("archive-selected").disabled = selected.size === 0;
    $("retry-selected").textContent = `retry selected (${selected.size})`;
  });

  $("search-form").addEventListener("submit", async event => {
    event.preventDefault();
    const id = $("search").value.trim();
    if (!id) return;
    $("trace-id").textContent = id;
    $("trace-panel").hidden = false;
    try {
      const view = await api(`/api/orders/${encodeURIComponent(id)}`);
      $("trace").innerHTML = `<p><b>${esc(view.status)}</b> · ${esc(view.businessCode)} · first queue ${view.firstQueue} · accepted ${esc(view.acceptedAt)}</p>` +
        `<div class="scroll"><table id="trace-units"><tr><th>unit</th><th>queue</th><th>seq</th><th>status</th><th>at</th><th>delivered</th><th>attempts</th><th>waiting / parked</th></tr>` +
        view.units.map(u => `<tr data-unit="${esc(u.unit)}"><td>${esc(u.unit)}</td><td>${u.queue ?? ""}</td><td>${u.seq ?? ""}</td><td class="status">${esc(u.status)}</td>
          <td>${esc(u.at ?? "")}</td><td>${esc(u.deliveredAt ?? "")}</td><td>${u.attempts ?? ""}</td><td class="wrap">${esc(u.waiting ?? u.parkedReason ?? "")}</td></tr>`).join("") +
        `</table></div>`;
      const trace = await api(`/api/orders/${encodeURIComponent(id)}/trace`);
      $("trace").innerHTML += `<div class="scroll"><table id="trace-hops"><tr><th>at</th><th>step</th><th>where</th><th>detail</th></tr>` +
        trace.hops.map(h => `<tr class="hop"><td>${esc(h.at ? new Date(h.at).toISOString().replace("T", " ").replace("Z", "") : "")}</td><td>${esc(h.step)}</td>
          <td>${esc(h.place)}</td><td class="wrap">${esc(h.detail)}</td></tr>`).join("") + `</table></div>`;
    } catch (e) {
      $("trace").innerHTML = `<p class="error">${esc(e.message)}</p>`;
    }
  });

  async function poll() {
    clearTimeout(poll.timer);
    try {
      render(await api("/api/admin/overview"));
      showError("");
    } catch (e) {
      if (!keyAsked || sessionStorage.getItem(KEY)) showError(e.message);
    }
    poll.timer = setTimeout(poll, POLL_MS);
  }
  poll();
})();
