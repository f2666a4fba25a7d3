// Timeline panel script (bgtask): draws the layout the extension sends (timelineLayout.ts) on a
// canvas, culling what is off-screen; wheel zooms, drag pans, hover shows the item, click opens the
// lane's code, Export SVG asks the extension to write the visible range. Colours come from the theme.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const G = { laneHeight: 22, labelWidth: 180, axisHeight: 24, barHeight: 12, minBarWidth: 3 };
  const canvas = document.getElementById('timeline');
  const ctx = canvas.getContext('2d');
  const tip = document.getElementById('tip');
  const summary = document.getElementById('summary');
  const followButton = document.getElementById('follow');
  let L = null;
  let view = { from: 0, msPerPx: 1, width: 800 };
  let follow = true;
  let hits = [];
  let drag = null;

  const css = (name, fallback) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
  const colors = () => ({
    fg: css('--vscode-foreground', '#ccc'), dim: css('--vscode-descriptionForeground', '#999'), grid: css('--vscode-panel-border', '#444'),
    running: css('--vscode-charts-blue', '#3794ff'), completed: css('--vscode-charts-green', '#89d185'), canceled: css('--vscode-charts-yellow', '#cca700'),
    failed: css('--vscode-charts-red', '#f14c4c'), fired: css('--vscode-charts-purple', '#b180d7'), bandRunning: 'rgba(137,209,133,0.07)', bandSuspended: 'rgba(204,167,0,0.12)', bandOff: 'rgba(128,128,128,0.10)',
  });
  const x = (t) => G.labelWidth + (t - view.from) / view.msPerPx;
  const laneY = (lane) => G.axisHeight + (lane + 1) * G.laneHeight;
  const fit = () => {
    if (!L) return;
    const span = Math.max(L.end - L.start, 1000);
    view = { from: L.start, msPerPx: span / Math.max(canvas.clientWidth - G.labelWidth - 20, 50), width: canvas.clientWidth };
  };
  const step = () => {
    const want = view.msPerPx * 100;
    const steps = [1, 10, 100, 1000, 5000, 15000, 60000, 300000, 900000, 3600000, 14400000, 86400000, 604800000];
    return steps.find((s) => s >= want) || steps[steps.length - 1];
  };
  const label = (ms) => {
    const h = Math.floor(ms / 3600000), m = Math.floor((ms % 3600000) / 60000), s = (ms % 60000) / 1000;
    return h + ':' + String(m).padStart(2, '0') + ':' + (s < 10 ? '0' : '') + s.toFixed(ms % 1000 ? 1 : 0);
  };

  function draw() {
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const lanes = L ? L.lanes.length : 0;
    const height = Math.max(G.axisHeight + (lanes + 2) * G.laneHeight, window.innerHeight - canvas.offsetTop);
    canvas.style.height = height + 'px';
    canvas.width = canvas.clientWidth * dpr;
    canvas.height = height * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    view.width = canvas.clientWidth;
    const c = colors();
    ctx.clearRect(0, 0, canvas.clientWidth, height);
    hits = [];
    let items = 0;
    if (!L) return;
    const endT = view.from + (view.width - G.labelWidth) * view.msPerPx;
    const visible = (from, to) => (to === undefined || to === null ? L.end : to) >= view.from && from <= endT;
    ctx.font = '11px ' + css('--vscode-font-family', 'sans-serif');
    for (const b of L.bands) {
      if (!visible(b.from, b.to)) continue;
      const x1 = Math.max(G.labelWidth, x(b.from)), x2 = Math.min(view.width, x(b.to == null ? L.end : b.to) + G.minBarWidth);
      ctx.fillStyle = b.state === 'running' ? c.bandRunning : b.state === 'suspended' ? c.bandSuspended : c.bandOff;
      ctx.fillRect(x1, G.axisHeight, Math.max(x2 - x1, 1), height - G.axisHeight);
      hits.push({ x1, x2, y1: G.axisHeight, y2: G.axisHeight + G.laneHeight, text: 'app ' + b.state + ' from ' + label(b.from) });
      items++;
    }
    const s = step();
    ctx.strokeStyle = c.grid;
    ctx.fillStyle = c.dim;
    for (let t = Math.ceil(view.from / s) * s, n = 0; t <= endT && n < 200; t += s, n++) {
      const tx = x(t);
      ctx.beginPath(); ctx.moveTo(tx + 0.5, G.axisHeight - 4); ctx.lineTo(tx + 0.5, height); ctx.stroke();
      ctx.fillText(label(t), tx + 2, G.axisHeight - 8);
    }
    ctx.fillStyle = c.fg;
    ctx.font = 'bold 11px ' + css('--vscode-font-family', 'sans-serif');
    ctx.fillText('app', 4, laneY(-1) + 15);
    ctx.font = '11px ' + css('--vscode-font-family', 'sans-serif');
    L.lanes.forEach((lane, i) => ctx.fillText(lane.name, 4, laneY(i) + 15, G.labelWidth - 8));
    ctx.save();
    ctx.beginPath(); ctx.rect(G.labelWidth, 0, view.width - G.labelWidth, height); ctx.clip();
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = c.dim;
    ctx.lineWidth = 2;
    for (const w of L.waits) {
      if (!visible(w.from, w.to)) continue;
      const x1 = x(w.from), x2 = Math.max(x(w.to == null ? L.end : w.to), x1 + G.minBarWidth), y = laneY(w.lane) + G.laneHeight / 2;
      ctx.beginPath(); ctx.moveTo(x1, y); ctx.lineTo(x2, y); ctx.stroke();
      hits.push({ x1, x2, y1: y - 5, y2: y + 5, lane: w.lane, text: 'latched, waiting for ' + w.waitingFor.join(', ') });
      items++;
    }
    ctx.setLineDash([]);
    ctx.lineWidth = 1;
    for (const b of L.bars) {
      if (!visible(b.from, b.to)) continue;
      const x1 = x(b.from), w = Math.max(x(b.to == null ? L.end : b.to) - x1, G.minBarWidth), y = laneY(b.lane) + (G.laneHeight - G.barHeight) / 2;
      const col = c[b.outcome];
      ctx.globalAlpha = 0.35; ctx.fillStyle = col; ctx.fillRect(x1, y, w, G.barHeight);
      ctx.globalAlpha = 1; ctx.fillRect(x1, y, (w * Math.min(b.progress, 100)) / 100, G.barHeight);
      if (b.outcome === 'canceled' || b.outcome === 'failed') { ctx.fillStyle = c.failed; ctx.fillRect(x1 + w - 2, y - 2, 2, G.barHeight + 4); }
      hits.push({ x1, x2: x1 + w, y1: y, y2: y + G.barHeight, lane: b.lane, text: L.lanes[b.lane].name + ' · ' + b.outcome + (b.why ? ' (' + b.why + ')' : '') + '\n' + Math.round(b.progress) + '% · ' + label(b.from) + (b.to == null ? ' → now' : ' → ' + label(b.to)) + (b.trigger ? '\ntrigger ' + b.trigger : '') + (b.suspended ? '\nsuspended by the CPU quota' : '') });
      items++;
    }
    for (const m of L.marks) {
      if (m.t < view.from || m.t > endT) continue;
      const mx = x(m.t), y = laneY(m.lane);
      ctx.fillStyle = m.kind === 'registration-failed' || (m.kind === 'expectation' && m.text.indexOf('FAILED') >= 0) ? c.failed : m.kind === 'skipped' ? c.canceled : c.fired;
      ctx.beginPath(); ctx.moveTo(mx, y + 3); ctx.lineTo(mx + 4, y + 7); ctx.lineTo(mx, y + 11); ctx.lineTo(mx - 4, y + 7); ctx.closePath(); ctx.fill();
      hits.push({ x1: mx - 4, x2: mx + 4, y1: y + 3, y2: y + 11, lane: m.lane, text: label(m.t) + '  ' + m.text });
      items++;
    }
    ctx.restore();
    const ms = performance.now() - t0;
    summary.textContent = (L.events + ' events · ' + L.lanes.length + ' lanes') + (sessionName ? ' · ' + sessionName : '');
    vscode.postMessage({ type: 'rendered', items, ms, lanes: L.lanes.length, viewport: { from: view.from, msPerPx: view.msPerPx, width: view.width } });
  }

  let sessionName = '';
  let queued = false;
  // Next frame, or within 100 ms where frames do not come (a hidden or background panel gets no animation frames).
  const redraw = () => {
    if (queued) return;
    queued = true;
    const run = () => { if (queued) { queued = false; draw(); } };
    requestAnimationFrame(run);
    setTimeout(run, 100);
  };

  window.addEventListener('message', (e) => {
    const msg = e.data;
    if (msg.type !== 'layout') return;
    const first = !L;
    L = msg.layout;
    sessionName = msg.session || '';
    if (first || follow) fit();
    redraw();
  });
  window.addEventListener('resize', () => { if (follow) fit(); redraw(); });
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const at = view.from + (e.offsetX - G.labelWidth) * view.msPerPx;
    view.msPerPx = Math.max(view.msPerPx * (e.deltaY > 0 ? 1.25 : 0.8), 0.001);
    view.from = at - (e.offsetX - G.labelWidth) * view.msPerPx;
    setFollow(false);
    redraw();
  }, { passive: false });
  canvas.addEventListener('mousedown', (e) => { drag = { x: e.clientX, from: view.from, moved: false }; });
  window.addEventListener('mouseup', () => { setTimeout(() => { drag = null; }, 0); });
  canvas.addEventListener('mousemove', (e) => {
    if (drag && e.buttons) {
      if (Math.abs(e.clientX - drag.x) > 3) drag.moved = true;
      view.from = drag.from - (e.clientX - drag.x) * view.msPerPx;
      setFollow(false);
      redraw();
      return;
    }
    const hit = find(e.offsetX, e.offsetY);
    if (!hit) { tip.hidden = true; return; }
    tip.textContent = hit.text;
    tip.style.left = Math.min(e.clientX + 12, window.innerWidth - 300) + 'px';
    tip.style.top = e.clientY + 14 + 'px';
    tip.hidden = false;
  });
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });
  canvas.addEventListener('click', (e) => {
    if (drag && drag.moved) return;
    const hit = find(e.offsetX, e.offsetY);
    const lane = hit && hit.lane !== undefined && hit.lane >= 0 ? hit.lane : e.offsetX < G.labelWidth ? Math.floor((e.offsetY - G.axisHeight) / G.laneHeight) - 1 : -1;
    if (L && lane >= 0 && lane < L.lanes.length) vscode.postMessage({ type: 'open', lane });
  });
  function find(px, py) {
    for (let i = hits.length - 1; i >= 0; i--) {
      const h = hits[i];
      if (px >= h.x1 - 1 && px <= h.x2 + 1 && py >= h.y1 - 1 && py <= h.y2 + 1) return h;
    }
    return null;
  }
  function setFollow(on) { follow = on; followButton.setAttribute('aria-pressed', String(on)); }
  document.getElementById('fit').addEventListener('click', () => { fit(); redraw(); });
  followButton.addEventListener('click', () => { setFollow(!follow); if (follow) fit(); redraw(); });
  document.getElementById('export').addEventListener('click', () => vscode.postMessage({ type: 'exportSvg', viewport: { from: view.from, msPerPx: view.msPerPx, width: view.width } }));
  // Say ready until the first layout arrives (a message sent while the panel is still loading can be lost).
  vscode.postMessage({ type: 'ready' });
  const hello = setInterval(() => (L ? clearInterval(hello) : vscode.postMessage({ type: 'ready' })), 1000);
})();
