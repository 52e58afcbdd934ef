/**
 * The report page's script (plain DOM + uPlot), inlined and allowed by its CSP
 * hash, and the live dashboard's (watch --ui serves it as a file). Everything it
 * shows comes from the embedded JSON (or, live, from server-sent events) and is
 * set with textContent or drawn on a canvas: never parsed as HTML.
 *
 * Each section is a function of the global `data`, so the dashboard can merge an
 * update into `data` and redraw only what changed.
 */
export const CLIENT_JS = String.raw`(function () {
'use strict';
var data = JSON.parse(document.getElementById('arpscope-data').textContent);
var charts = { lanes: [] };
var api = { charts: charts, ready: false, markPos: markPos };
window.__arpscopeReport = api;
var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];
function color(i) { return COLORS[i % COLORS.length]; }
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function iso(ts) { return new Date(ts * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC'); }
function tz(ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); }
function width() { return Math.max(420, Math.min(1200, document.documentElement.clientWidth - 48)); }
var tip = el('div', 'tip');
tip.hidden = true;
document.body.appendChild(tip);
function showTip(lines, x, y) {
  tip.textContent = '';
  for (var i = 0; i < lines.length; i++) tip.appendChild(el('div', i === 0 ? 'tip-h' : null, lines[i]));
  tip.hidden = false;
  tip.style.left = Math.round(x + 14 + window.scrollX) + 'px';
  tip.style.top = Math.round(y + 14 + window.scrollY) + 'px';
}
function hideTip() { tip.hidden = true; }
function legend(parent, items) {
  var box = el('div', 'legend');
  items.forEach(function (it) {
    var s = el('span', 'legend-item');
    var sw = el('span', 'swatch');
    sw.style.background = it.color;
    s.appendChild(sw);
    s.appendChild(document.createTextNode(it.label));
    box.appendChild(s);
  });
  parent.appendChild(box);
}
function empty(parent, text) { parent.appendChild(el('p', 'empty', text)); }
function fillBand(u, from, to, fill) {
  var ctx = u.ctx;
  var x0 = u.valToPos(from, 'x', true);
  var x1 = Math.max(u.valToPos(to, 'x', true), x0 + 3);
  ctx.save();
  ctx.fillStyle = fill;
  ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
  ctx.restore();
}

// ARP / ND rate over time, storms and unanswered periods marked.
var RATE_NAMES = ['requests', 'replies', 'gratuitous', 'unanswered', 'nd'];
var RATE_LABELS = ['ARP requests', 'ARP replies', 'gratuitous', 'unanswered', 'ND'];
var RATE_COLS = ['#1f77b4', '#2ca02c', '#ff7f0e', '#d62728', '#9467bd'];
function rateData() {
  var x = data.x.slice();
  if (x.length === 1) x.push(x[0] + data.bucket_s);
  return [x].concat(RATE_NAMES.map(function (n) { var a = data.rates[n].slice(); while (a.length < x.length) a.push(0); return a; }));
}
function rateShape() { return (data.x.length < 60 ? 'few' : 'many') + (data.bands.length ? '+bands' : ''); }
function drawRates() {
  var box = document.getElementById('rate-chart');
  if (charts.rate) { charts.rate.destroy(); charts.rate = null; }
  box.textContent = '';
  charts.rateShape = rateShape();
  if (!data.x.length) { empty(box, 'No ARP or ND frames.'); return; }
  var few = data.x.length < 60;
  var series = [{}];
  RATE_NAMES.forEach(function (n, i) { series.push({ label: RATE_LABELS[i], stroke: RATE_COLS[i], width: 1.5, points: { show: few, size: 5 } }); });
  var opts = {
    width: width(), height: 260, tzDate: tz, legend: { show: false },
    series: series,
    axes: [{}, { label: 'frames per ' + data.bucket_s + ' s', size: 60 }],
    hooks: {
      drawClear: [function (u) {
        data.bands.forEach(function (b) {
          fillBand(u, b.from, b.to, b.kind === 'arp.gratuitous-storm' ? 'rgba(255,127,14,0.22)' : 'rgba(214,39,40,0.12)');
        });
      }],
      setCursor: [function (u) {
        var i = u.cursor.idx;
        if (i === null || i === undefined || u.cursor.left < 0) { hideTip(); return; }
        var lines = [iso(u.data[0][i])];
        for (var s = 1; s < u.series.length; s++) lines.push(u.series[s].label + ': ' + u.data[s][i]);
        data.bands.forEach(function (b) { if (u.data[0][i] >= b.from - data.bucket_s && u.data[0][i] <= b.to) lines.push(b.kind + ' ' + b.ip); });
        var rect = u.over.getBoundingClientRect();
        showTip(lines, rect.left + u.cursor.left, rect.top + u.cursor.top);
      }],
    },
  };
  charts.rate = new uPlot(opts, rateData(), box);
  charts.rateBucket = data.bucket_s;
  u_leave(charts.rate);
  legend(box, RATE_LABELS.map(function (l, i) { return { label: l, color: RATE_COLS[i] }; }).concat(data.bands.length ? [{ label: 'storm / unanswered period', color: 'rgba(255,127,14,0.5)' }] : []));
}
/** New points only: keep the chart (and a hover on it) unless its shape changed. */
function updateRates() {
  if (charts.rate && charts.rateShape === rateShape() && charts.rateBucket === data.bucket_s) charts.rate.setData(rateData());
  else drawRates();
}
function u_leave(u) { u.over.addEventListener('mouseleave', hideTip); }

// Binding timeline per IP: one lane per MAC, requests on top.
function drawLane(box, lane) {
  var wrap = el('div', 'lane');
  wrap.appendChild(el('h3', null, lane.ip + '  (' + lane.frames + ' frames' + (lane.truncated ? ', sampled' : '') + ')'));
  box.appendChild(wrap);
  var macs = [];
  lane.segments.forEach(function (s) { if (macs.indexOf(s[2]) < 0) macs.push(s[2]); });
  lane.marks.forEach(function (m) { if (m[3] !== 'request' && m[3] !== 'ns' && macs.indexOf(m[4]) < 0) macs.push(m[4]); });
  var rows = ['requests'].concat(macs);
  function rowOf(m) { return m[3] === 'request' || m[3] === 'ns' ? 0 : 1 + macs.indexOf(m[4]); }
  var marks = lane.marks;
  var xs = marks.map(function (m) { return m[0]; });
  var lo = Infinity, hi = -Infinity;
  lane.segments.forEach(function (s) { lo = Math.min(lo, s[0]); hi = Math.max(hi, s[1]); });
  xs.forEach(function (t) { lo = Math.min(lo, t); hi = Math.max(hi, t); });
  if (!isFinite(lo)) return { lane: lane, wrap: wrap, u: null, marks: [], rowOf: rowOf };
  var pad = Math.max((hi - lo) * 0.03, 0.5);
  if (!xs.length) xs = [lo];
  var cols = [];
  var series = [{}];
  var ys = [];
  rows.forEach(function (name, ri) {
    var c = ri === 0 ? '#888888' : color(ri - 1);
    cols.push(c);
    series.push({ label: name, stroke: c, fill: c, width: 0, paths: function () { return null; }, points: { show: true, size: 9, stroke: c, fill: c, width: 1 } });
    ys.push(marks.length ? marks.map(function (m) { return rowOf(m) === ri ? ri : null; }) : [null]);
  });
  var opts = {
    width: width(), height: 46 + 30 * rows.length, tzDate: tz, legend: { show: false },
    cursor: { points: { show: false }, drag: { x: true, y: false } },
    scales: { x: { time: true, range: function () { return [lo - pad, hi + pad]; } }, y: { range: function () { return [rows.length - 0.5, -0.5]; } } },
    series: series,
    axes: [{}, { size: 150, splits: function () { return rows.map(function (_, i) { return i; }); }, values: function (u, sp) { return sp.map(function (v) { return rows[v] === undefined ? '' : rows[v]; }); }, grid: { show: false } }],
    hooks: {
      drawClear: [function (u) {
        var ctx = u.ctx;
        ctx.save();
        lane.segments.forEach(function (s) {
          var ri = 1 + macs.indexOf(s[2]);
          var x0 = u.valToPos(s[0], 'x', true);
          var x1 = Math.max(u.valToPos(s[1], 'x', true), x0 + 4);
          var y = u.valToPos(ri, 'y', true);
          ctx.globalAlpha = 0.35;
          ctx.fillStyle = cols[ri];
          ctx.fillRect(x0, y - 8, x1 - x0, 16);
        });
        ctx.restore();
      }],
      setCursor: [function (u) {
        if (u.cursor.left < 0) { hideTip(); return; }
        var best = -1, bd = 12;
        for (var i = 0; i < marks.length; i++) {
          var dx = u.valToPos(marks[i][0], 'x') - u.cursor.left;
          var dy = u.valToPos(rowOf(marks[i]), 'y') - u.cursor.top;
          var d = Math.sqrt(dx * dx + dy * dy);
          if (d < bd) { bd = d; best = i; }
        }
        if (best < 0) { hideTip(); return; }
        var m = marks[best];
        var file = (data.inputs[m[1]] || {}).file || '';
        var rect = u.over.getBoundingClientRect();
        showTip([lane.ip + ': ' + m[3], iso(m[0]), (m[3] === 'request' || m[3] === 'ns' ? 'from ' : 'answered by ') + m[4], 'frame ' + m[2] + ' in ' + file], rect.left + u.cursor.left, rect.top + u.cursor.top);
      }],
    },
  };
  var u = new uPlot(opts, [xs].concat(ys), wrap);
  u_leave(u);
  return { lane: lane, wrap: wrap, u: u, marks: marks, rowOf: rowOf };
}
/** Lanes in data.lanes order; a lane object seen before keeps its chart (live updates replace changed lanes). */
function drawLanes() {
  var box = document.getElementById('lanes');
  var old = charts.lanes;
  charts.lanes = [];
  var keep = [];
  data.lanes.forEach(function (lane) {
    for (var i = 0; i < old.length; i++) if (old[i].lane === lane) { keep.push(old[i]); return; }
    keep.push(null);
  });
  old.forEach(function (c) { if (keep.indexOf(c) < 0) c.u.destroy(); });
  box.textContent = '';
  if (!data.lanes.length) { empty(box, 'No bindings to draw.'); return; }
  data.lanes.forEach(function (lane, i) {
    var c = keep[i];
    if (c) box.appendChild(c.wrap);
    else c = drawLane(box, lane);
    if (c.u) charts.lanes.push(c);
  });
  legend(box, [{ label: 'bar: MAC answering over time', color: 'rgba(31,119,180,0.35)' }, { label: 'dot: a frame (hover)', color: '#1f77b4' }]);
}
function markPos(li, mi) {
  var c = charts.lanes[li];
  if (!c || !c.marks[mi]) return null;
  var r = c.u.over.getBoundingClientRect();
  return { x: r.left + c.u.valToPos(c.marks[mi][0], 'x'), y: r.top + c.u.valToPos(c.rowOf(c.marks[mi]), 'y') };
}

// Reply latency distribution per target: sorted samples by percentile, slow threshold drawn.
function drawLatency() {
  var box = document.getElementById('latency-chart');
  if (charts.latency) { charts.latency.destroy(); charts.latency = null; }
  box.textContent = '';
  var lat = data.latency.filter(function (l) { return l.samples_ms.length > 0; });
  if (!lat.length) { empty(box, 'No timed replies.'); return; }
  var x = [];
  for (var p = 0; p <= 100; p++) x.push(p);
  var series = [{ label: 'percentile' }];
  var ys = lat.map(function (l, i) {
    series.push({ label: l.ip, stroke: color(i), width: 1.5 });
    var s = l.samples_ms, n = s.length;
    return x.map(function (p) { return Math.max(0.001, s[Math.min(n - 1, Math.floor(p / 100 * (n - 1) + 0.5))]); });
  });
  var slow = data.slow_ms;
  var ymin = slow, ymax = slow;
  ys.forEach(function (a) { a.forEach(function (v) { if (v < ymin) ymin = v; if (v > ymax) ymax = v; }); });
  var opts = {
    width: width(), height: 300, legend: { show: false },
    scales: { x: { time: false }, y: { distr: 3, range: function () { return [Math.max(0.001, ymin / 2), ymax * 2]; } } },
    series: series,
    axes: [{ label: 'percentile of replies', values: function (u, sp) { return sp.map(function (v) { return 'p' + v; }); } }, { label: 'reply time, ms', size: 70 }],
    hooks: {
      draw: [function (u) {
        var ctx = u.ctx;
        var y = u.valToPos(slow, 'y', true);
        ctx.save();
        ctx.strokeStyle = '#d62728';
        ctx.setLineDash([6, 4]);
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(u.bbox.left, y);
        ctx.lineTo(u.bbox.left + u.bbox.width, y);
        ctx.stroke();
        ctx.fillStyle = '#d62728';
        ctx.font = (12 * devicePixelRatio) + 'px sans-serif';
        ctx.fillText('slow: ' + slow + ' ms', u.bbox.left + 6, y - 6);
        ctx.restore();
      }],
      setCursor: [function (u) {
        var i = u.cursor.idx;
        if (i === null || i === undefined || u.cursor.left < 0) { hideTip(); return; }
        var lines = ['p' + i];
        for (var s = 1; s < u.series.length && s <= 12; s++) lines.push(u.series[s].label + ': ' + u.data[s][i] + ' ms');
        var rect = u.over.getBoundingClientRect();
        showTip(lines, rect.left + u.cursor.left, rect.top + u.cursor.top);
      }],
    },
  };
  charts.latency = new uPlot(opts, [x].concat(ys), box);
  u_leave(charts.latency);
  legend(box, lat.map(function (l, i) { return { label: l.ip + ' (' + l.count + ' replies, max ' + l.max_ms + ' ms)', color: color(i) }; }).concat([{ label: 'slow threshold', color: '#d62728' }]));
}

drawRates();
drawLanes();
drawLatency();

// Binding table: sortable, filterable.
var table_ = (function () {
  var table = document.getElementById('bindings');
  var tbody = table.querySelector('tbody');
  var filter = document.getElementById('filter');
  var count = document.getElementById('row-count');
  var rows = data.rows.slice();
  function sortRows() { if (sortKey !== null) { var k = sortKey; rows.sort(function (a, b) { return cmp(a[k], b[k]); }); } }
  var keys = ['ip', 'macs', 'vendors', 'requests', 'replies', 'gratuitous', 'p50', 'max', 'first', 'last'];
  var sortKey = null, dir = 1;
  function cell(k, v) {
    if (v === null || v === undefined) return '';
    if ((k === 'first' || k === 'last') && typeof v === 'number') return iso(v);
    return String(v);
  }
  // Sort and filter run over all rows; only the first SHOWN matches become DOM rows, so a
  // report with thousands of addresses opens fast.
  var SHOWN = 500;
  function searchText(r) {
    if (r.__search === undefined) Object.defineProperty(r, '__search', { value: keys.map(function (k) { return cell(k, r[k]); }).join(' ').toLowerCase() });
    return r.__search;
  }
  function render() {
    var q = filter.value.trim().toLowerCase();
    tbody.textContent = '';
    var matched = 0;
    rows.forEach(function (r) {
      if (q !== '' && searchText(r).indexOf(q) < 0) return;
      matched++;
      if (matched > SHOWN) return;
      var tr = el('tr');
      keys.forEach(function (k) { tr.appendChild(el('td', typeof r[k] === 'number' ? 'num' : null, cell(k, r[k]))); });
      tbody.appendChild(tr);
    });
    count.textContent = matched + ' of ' + data.rows.length + ' match' + (matched > SHOWN ? ', the first ' + SHOWN + ' shown (sort or filter to see others)' : '') +
      (data.rows_total > data.rows.length ? ' (' + data.rows_total + ' IPs in the capture; the ' + data.rows.length + ' of interest are listed)' : '');
  }
  function cmp(a, b) {
    if (a === b) return 0;
    if (a === null || a === undefined) return 1;
    if (b === null || b === undefined) return -1;
    if (sortKey === 'ip') return ipCmp(a, b) * dir;
    if (typeof a === 'number' && typeof b === 'number') return (a - b) * dir;
    return String(a).localeCompare(String(b)) * dir;
  }
  function ipCmp(a, b) {
    var pa = a.split('.'), pb = b.split('.');
    if (pa.length === 4 && pb.length === 4) {
      for (var i = 0; i < 4; i++) { var d = Number(pa[i]) - Number(pb[i]); if (d) return d; }
      return 0;
    }
    return pa.length === 4 ? -1 : pb.length === 4 ? 1 : a.localeCompare(b);
  }
  Array.prototype.forEach.call(table.querySelectorAll('th'), function (th) {
    th.addEventListener('click', function () {
      var k = th.dataset.key;
      dir = sortKey === k ? -dir : (k === 'ip' || k === 'macs' || k === 'vendors' ? 1 : -1);
      sortKey = k;
      Array.prototype.forEach.call(table.querySelectorAll('th'), function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
      sortRows();
      render();
    });
  });
  filter.addEventListener('input', render);
  render();
  /** New rows from a live update: the current sort and filter stay. */
  return { setRows: function () { rows = data.rows.slice(); sortRows(); render(); } };
})();
window.addEventListener('resize', function () {
  var w = width();
  [charts.rate, charts.latency].concat(charts.lanes.map(function (c) { return c.u; })).forEach(function (u) { if (u) u.setSize({ width: w, height: u.height }); });
});
// Live dashboard (watch --ui): findings drawn here, then server-sent events merged into data.
if (data.live) live();
function live() {
  var SEV = { critical: 3, warning: 2, notice: 1, info: 0 };
  var box = document.getElementById('findings');
  var status = document.getElementById('live-status');
  var drawn = [];
  var conn = 'connecting';
  function fkey(lf) { return lf.key; }
  function rkey(r) { return r.ip; }
  function findingEl(lf) {
    var f = lf.finding;
    var a = el('article', 'finding sev-' + f.severity + (lf.state === 'cleared' ? ' cleared' : ''));
    a.dataset.kind = f.kind;
    a.dataset.key = lf.key;
    a.dataset.state = lf.state;
    var h = el('h3');
    h.appendChild(el('span', 'badge', f.severity));
    if (lf.state === 'cleared') h.appendChild(el('span', 'badge state', 'cleared'));
    h.appendChild(document.createTextNode(f.title));
    a.appendChild(h);
    var where = [f.kind, f.ip];
    if (f.macs.length) where.push(f.macs.join(', '));
    where.push(iso(f.first_ts) + ' \u2013 ' + iso(f.last_ts), 'count ' + f.count, 'on ' + lf.iface, lf.state + ' ' + iso(lf.updated));
    a.appendChild(el('div', 'kind', where.join(' \u00b7 ')));
    a.appendChild(el('p', null, f.explanation));
    if (f.details) {
      var p = el('p', 'details');
      Object.keys(f.details).forEach(function (k, i) {
        var v = f.details[k];
        if (i) p.appendChild(document.createTextNode(' \u00b7 '));
        p.appendChild(el('code', null, k));
        p.appendChild(document.createTextNode(': ' + (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))));
      });
      a.appendChild(p);
    }
    if (f.causes.length) {
      a.appendChild(el('h4', null, 'Likely causes'));
      var ul = el('ul');
      f.causes.forEach(function (c) { ul.appendChild(el('li', null, c)); });
      a.appendChild(ul);
    }
    if (f.next_steps.length) { a.appendChild(el('h4', null, 'Next steps')); a.appendChild(el('pre', 'steps', f.next_steps.join('\n'))); }
    if (f.evidence.length) {
      a.appendChild(el('h4', null, 'Evidence'));
      a.appendChild(el('pre', 'evidence', f.evidence.map(function (e) { return '#' + e.frame + ' ' + (e.vantage || e.file) + '  ' + e.line; }).join('\n')));
    }
    return a;
  }
  /** Raised before cleared, then by severity, newest first; an unchanged finding keeps its element. */
  function renderFindings() {
    var list = data.findings.slice().sort(function (a, b) {
      return Number(b.state !== 'cleared') - Number(a.state !== 'cleared') || SEV[b.finding.severity] - SEV[a.finding.severity] || b.updated - a.updated || (a.key < b.key ? -1 : 1);
    });
    var next = [];
    box.textContent = '';
    list.forEach(function (lf) {
      var d = null;
      for (var i = 0; i < drawn.length; i++) if (drawn[i].lf === lf) { d = drawn[i]; break; }
      if (!d) d = { lf: lf, el: findingEl(lf) };
      next.push(d);
      box.appendChild(d.el);
    });
    drawn = next;
    if (!list.length) empty(box, 'No findings yet: nothing wrong seen below IP.');
  }
  function showStatus() {
    var s = data.summary, b = s.by_severity;
    status.textContent = conn + ' \u00b7 ' + s.frames + ' frames (' + s.arp_frames + ' ARP, ' + s.nd_frames + ' ND) \u00b7 critical ' + b.critical +
      ', warning ' + b.warning + ', notice ' + b.notice + ', info ' + b.info + ' \u00b7 updated ' + iso(s.now);
    status.dataset.state = conn;
  }
  function upsert(list, items, key) {
    var at = {};
    list.forEach(function (x, i) { at[key(x)] = i; });
    items.forEach(function (x) {
      var i = at[key(x)];
      if (i === undefined) { at[key(x)] = list.length; list.push(x); } else list[i] = x;
    });
  }
  function without(list, keys, key) {
    if (!keys || !keys.length) return list;
    var gone = {};
    keys.forEach(function (k) { gone[k] = 1; });
    return list.filter(function (x) { return !gone[key(x)]; });
  }
  function apply(d) {
    if (d.seq <= data.seq) return;
    data.seq = d.seq;
    if (d.summary) data.summary = d.summary;
    if (d.findings || d.removed) {
      data.findings = without(data.findings, d.removed, fkey);
      if (d.findings) upsert(data.findings, d.findings, fkey);
      renderFindings();
    }
    if (d.rates || d.bands) {
      if (d.rates) {
        var r = d.rates;
        data.x = data.x.slice(0, r.from).concat(r.x);
        RATE_NAMES.forEach(function (n) { data.rates[n] = data.rates[n].slice(0, r.from).concat(r.rates[n]); });
        data.bucket_s = r.bucket_s;
      }
      if (d.bands) data.bands = d.bands;
      updateRates();
    }
    if (d.lanes) {
      var byIp = {};
      data.lanes.concat(d.lanes).forEach(function (l) { byIp[l.ip] = l; });
      data.lanes = d.lane_order.map(function (ip) { return byIp[ip]; }).filter(Boolean);
      drawLanes();
    }
    if (d.latency) { data.latency = d.latency; drawLatency(); }
    if (d.rows || d.rows_removed) {
      data.rows = without(data.rows, d.rows_removed, rkey);
      if (d.rows) upsert(data.rows, d.rows, rkey);
      data.rows_total = d.rows_total;
      table_.setRows();
    }
    done();
  }
  function replace(doc) {
    if (doc.seq < data.seq) return;
    data = doc;
    renderFindings();
    drawRates();
    drawLanes();
    drawLatency();
    table_.setRows();
    done();
  }
  function done() {
    api.updates++;
    api.seq = data.seq;
    showStatus();
  }
  api.updates = 0;
  api.seq = data.seq;
  renderFindings();
  showStatus();
  var es = new EventSource('events?since=' + encodeURIComponent(data.seq));
  es.addEventListener('snapshot', function (ev) { replace(JSON.parse(ev.data)); });
  es.addEventListener('update', function (ev) { apply(JSON.parse(ev.data)); });
  es.onopen = function () { conn = 'live'; showStatus(); };
  // EventSource retries by itself; CLOSED means the server refused (restarted with another token, or too many clients).
  es.onerror = function () { conn = es.readyState === 2 ? 'disconnected (reload the page)' : 'reconnecting'; showStatus(); };
  api.source = es;
}
api.ready = true;
document.documentElement.dataset.ready = '1';
})();
`;
