/**
 * The browser side of the HTML report's charts, inlined as one script the Content-Security-Policy
 * allows by hash. It reads the chart data from a JSON data block and draws one uPlot chart per
 * probe: latency, failed samples, a trailing success rate, the phase bands, the thresholds and the
 * moments of the run. It never builds markup from data: text goes in through `textContent` only.
 * Kept as plain ES2017 in a string so that no build step can rewrite it.
 */
export const CHART_SCRIPT = String.raw`(function () {
  'use strict';
  var source = document.getElementById('fd-chart-data');
  if (!source || typeof uPlot === 'undefined') return;
  var data = JSON.parse(source.textContent || '{}');
  var style = getComputedStyle(document.documentElement);
  function cssVar(name, fallback) {
    var v = style.getPropertyValue(name).trim();
    return v || fallback;
  }
  var PHASE_FILL = {
    preflight: cssVar('--band-preflight', 'rgba(100,116,139,0.06)'),
    baseline: cssVar('--band-baseline', 'rgba(37,99,235,0.06)'),
    fault: cssVar('--band-fault', 'rgba(234,88,12,0.12)'),
    recovery: cssVar('--band-recovery', 'rgba(22,163,74,0.08)')
  };
  var MARK_COLOR = {
    inject: '#c2410c', revert: '#15803d', 'revert-failed': '#b91c1c', 'kill-switch': '#7c3aed',
    'first-failure': '#dc2626', recovered: '#0e7490', 'recover-by': '#0e7490'
  };
  var MARK_TEXT = {
    inject: 'inject', revert: 'revert', 'revert-failed': 'REVERT FAILED', 'kill-switch': 'kill switch',
    'first-failure': 'first failure', recovered: 'recovered', 'recover-by': 'recover by'
  };
  var HEIGHT = 260;

  function two(n) { return (n < 10 ? '0' : '') + n; }
  function fmtT(s) {
    if (s === null || s === undefined) return '—';
    if (s < 60) return '+' + s.toFixed(s < 10 ? 2 : 1) + 's';
    var m = Math.floor(s / 60);
    return '+' + m + 'm' + two(Math.floor(s - m * 60)) + 's';
  }
  function fmtMs(v) {
    if (v === null || v === undefined) return '—';
    return v < 1000 ? Math.round(v) + ' ms' : (v / 1000).toFixed(2) + ' s';
  }
  function fmtNum(v) { return v === null || v === undefined ? '—' : String(Number(v.toPrecision(4))); }
  function fmtPct(v) { return v === null || v === undefined ? '—' : v.toFixed(1) + ' %'; }
  // a label on a light box, so lines and bands underneath do not make it unreadable
  function tag(ctx, text, x, y, colour, alignRight) {
    var pad = 2 * devicePixelRatio;
    var w = ctx.measureText(text).width;
    var h = 12 * devicePixelRatio;
    var left = alignRight ? x - w - 2 * pad : x;
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    ctx.fillRect(left, y, w + 2 * pad, h);
    ctx.fillStyle = colour;
    ctx.fillText(text, left + pad, y + 1 * devicePixelRatio);
  }
  function widthOf(host) { return Math.max(320, Math.floor(host.clientWidth || 800)); }

  function phaseBands(u) {
    var ctx = u.ctx, box = u.bbox;
    ctx.save();
    ctx.font = Math.round(10 * devicePixelRatio) + 'px sans-serif';
    ctx.textBaseline = 'bottom';
    data.phases.forEach(function (p) {
      var x0 = Math.max(box.left, u.valToPos(p[1], 'x', true));
      var x1 = Math.min(box.left + box.width, u.valToPos(p[2], 'x', true));
      if (x1 <= x0) return;
      ctx.fillStyle = PHASE_FILL[p[0]] || 'transparent';
      ctx.fillRect(x0, box.top, x1 - x0, box.height);
      ctx.fillStyle = '#64748b';
      if (x1 - x0 > 50 * devicePixelRatio) ctx.fillText(p[0], x0 + 4 * devicePixelRatio, box.top + box.height - 3 * devicePixelRatio);
    });
    ctx.restore();
  }

  function thresholdsOf(probe) {
    return function (u) {
      var ctx = u.ctx, box = u.bbox;
      ctx.save();
      ctx.font = Math.round(10 * devicePixelRatio) + 'px sans-serif';
      ctx.textBaseline = 'top';
      probe.thr.forEach(function (h) {
        var scale = h[0] === 'pct' ? 'pct' : 'y';
        var y = u.valToPos(h[1], scale, true);
        if (y < box.top || y > box.top + box.height) return;
        var x0 = Math.max(box.left, u.valToPos(h[2], 'x', true));
        var x1 = Math.min(box.left + box.width, u.valToPos(h[3], 'x', true));
        if (x1 <= x0) return;
        var colour = h[5] === 0 ? '#dc2626' : h[5] === 1 ? '#475569' : '#7c3aed';
        ctx.strokeStyle = colour;
        ctx.fillStyle = colour;
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.setLineDash(h[5] === -1 ? [2 * devicePixelRatio, 3 * devicePixelRatio] : [6 * devicePixelRatio, 4 * devicePixelRatio]);
        ctx.beginPath();
        ctx.moveTo(x0, y);
        ctx.lineTo(x1, y);
        ctx.stroke();
        ctx.setLineDash([]);
        tag(ctx, h[4], x1 - 2 * devicePixelRatio, y - 14 * devicePixelRatio, colour, true);
      });
      ctx.restore();
    };
  }

  function markersOf(probe) {
    var all = data.markers.concat(probe.mk);
    return function (u) {
      var ctx = u.ctx, box = u.bbox;
      ctx.save();
      ctx.font = 'bold ' + Math.round(10 * devicePixelRatio) + 'px sans-serif';
      ctx.textBaseline = 'top';
      all.forEach(function (m, i) {
        var x = u.valToPos(m[0], 'x', true);
        if (x < box.left || x > box.left + box.width) return;
        var colour = MARK_COLOR[m[1]] || '#334155';
        ctx.strokeStyle = colour;
        ctx.fillStyle = colour;
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.setLineDash(m[1] === 'recover-by' ? [4 * devicePixelRatio, 3 * devicePixelRatio] : []);
        ctx.beginPath();
        ctx.moveTo(x, box.top);
        ctx.lineTo(x, box.top + box.height);
        ctx.stroke();
        tag(ctx, MARK_TEXT[m[1]] || m[1], x + 2 * devicePixelRatio, box.top + (2 + (i % 3) * 14) * devicePixelRatio, colour, false);
      });
      ctx.restore();
    };
  }

  function hoverOf(probe, out) {
    var all = data.markers.concat(probe.mk);
    return function (u) {
      if (!out) return;
      var left = u.cursor.left;
      if (left === undefined || left < 0) { out.textContent = ''; return; }
      var t = u.posToVal(left, 'x');
      var near = (u.scales.x.max - u.scales.x.min) * 0.015;
      var hits = all.filter(function (m) { return Math.abs(m[0] - t) <= near; });
      out.textContent = hits.length === 0 ? '' : hits.map(function (m) { return fmtT(m[0]) + ' ' + m[2]; }).join('  ·  ');
    };
  }

  var plots = [];
  data.probes.forEach(function (probe, i) {
    var host = document.getElementById('fd-chart-' + i);
    if (!host) return;
    var latency = probe.m === 'latency';
    var fmtY = latency ? fmtMs : fmtNum;
    // a failed check of a value probe may have read nothing: its dot sits on the axis
    var failed = probe.t.map(function () { return null; });
    probe.fi.forEach(function (k) { failed[k] = probe.y[k] === null ? 0 : probe.y[k]; });
    var top = 0, bottom = 0;
    // the range takes in the expectation limits; a kill-switch limit far above the data would flatten it
    probe.thr.forEach(function (h) { if (h[0] === 'y' && h[5] !== -1) { top = Math.max(top, h[1]); bottom = Math.min(bottom, h[1]); } });
    var opts = {
      width: widthOf(host),
      height: HEIGHT,
      cursor: { drag: { x: true, y: false } },
      scales: {
        x: { time: false, range: [0, Math.max(data.endS, 1)] },
        y: { range: function (u, min, max) {
          var lo = Math.min(min || 0, bottom, 0), hi = Math.max(max || 0, top);
          return [lo, hi + (hi - lo) * 0.1 || 1];
        } },
        pct: { range: [0, 105] }
      },
      axes: [
        { incrs: [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200], values: function (u, vals) { return vals.map(fmtT); } },
        { scale: 'y', label: latency ? 'latency' : 'value', size: 64, values: function (u, vals) { return vals.map(fmtY); } },
        { scale: 'pct', side: 1, label: 'success %', grid: { show: false }, values: function (u, vals) { return vals.map(function (v) { return v + '%'; }); } }
      ],
      series: [
        { label: 'time', value: function (u, v) { return fmtT(v); } },
        { label: latency ? 'latency' : 'value', scale: 'y', stroke: '#2563eb', width: 1, points: { show: false }, value: function (u, v) { return fmtY(v); } },
        { label: 'failed', scale: 'y', stroke: '#dc2626', width: 0, paths: function () { return null; },
          points: { show: true, space: 0, size: 6, fill: '#dc2626', stroke: '#dc2626' }, value: function (u, v) { return fmtY(v); } },
        { label: 'success', scale: 'pct', stroke: '#16a34a', width: 1.5, points: { show: false }, value: function (u, v) { return fmtPct(v); } }
      ],
      hooks: {
        drawClear: [phaseBands],
        draw: [thresholdsOf(probe), markersOf(probe)],
        setCursor: [hoverOf(probe, host.parentNode ? host.parentNode.querySelector('.fd-hover') : null)]
      }
    };
    plots.push({ host: host, plot: new uPlot(opts, [probe.t, probe.y, failed, probe.ok], host) });
  });

  function resize(width) {
    plots.forEach(function (p) { p.plot.setSize({ width: width === undefined ? widthOf(p.host) : width, height: HEIGHT }); });
  }
  var pending = 0;
  window.addEventListener('resize', function () {
    if (pending) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () { pending = 0; resize(); });
  });
  // printed pages are narrower than most screens: draw the charts to fit, then back
  window.addEventListener('beforeprint', function () { resize(660); });
  window.addEventListener('afterprint', function () { resize(); });
  if (window.matchMedia) {
    var printing = window.matchMedia('print');
    var onPrint = function (e) { resize(e.matches ? 660 : undefined); };
    if (printing.addEventListener) printing.addEventListener('change', onPrint);
    else if (printing.addListener) printing.addListener(onPrint);
  }
  document.documentElement.setAttribute('data-charts-drawn', String(plots.length));
})();
`;
