// MlWorkflow UI: confirmations, metric charts (SVG), a scatter of runs, artifact previews. No dependencies; every value
// from the server is set with textContent or as an attribute, never parsed as HTML.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

  function el(tag, attrs, text) {
    var node = tag.indexOf('svg:') === 0 ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // Forms (or their buttons) with data-confirm ask first.
  document.addEventListener('submit', function (event) {
    var source = (event.submitter && event.submitter.getAttribute('data-confirm')) || event.target.getAttribute('data-confirm');
    if (source && !window.confirm(source)) { event.preventDefault(); }
  });

  function niceTicks(min, max, count) {
    if (!(max > min)) { max = min + 1; min = min - 1; }
    var span = max - min, step = Math.pow(10, Math.floor(Math.log10(span / count)));
    var err = count / span * step;
    if (err <= 0.15) { step *= 10; } else if (err <= 0.35) { step *= 5; } else if (err <= 0.75) { step *= 2; }
    var ticks = [];
    for (var t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) { ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t); }
    return ticks;
  }

  function fmt(v) {
    var a = Math.abs(v);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) { return v.toExponential(2); }
    return String(Math.round(v * 1e6) / 1e6);
  }

  function fmtTime(ms) { return new Date(ms).toISOString().slice(11, 19); }

  // Draws series [{name, color, pts: [[x, y]]}] into a .plot element: axes, lines (or dots), legend, hover tip.
  function draw(plot, series, opts) {
    plot.textContent = '';
    var W = Math.max(plot.clientWidth || 480, 240), H = 240, L = 58, R = 12, T = 10, B = 28;
    var xs = [], ys = [];
    series.forEach(function (s) { s.pts.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); }); });
    if (xs.length === 0) { plot.appendChild(el('p', { 'class': 'empty' }, opts.empty || 'No points to draw.')); return; }
    var xmin = Math.min.apply(null, xs), xmax = Math.max.apply(null, xs), ymin = Math.min.apply(null, ys), ymax = Math.max.apply(null, ys);
    if (xmin === xmax) { xmin -= 1; xmax += 1; }
    if (ymin === ymax) { ymin -= 1; ymax += 1; }
    var pad = (ymax - ymin) * 0.05; ymin -= pad; ymax += pad;
    if (opts.dots) { var xpad = (xmax - xmin) * 0.05; xmin -= xpad; xmax += xpad; }
    var sx = function (x) { return L + (x - xmin) / (xmax - xmin) * (W - L - R); };
    var sy = function (y) { return T + (1 - (y - ymin) / (ymax - ymin)) * (H - T - B); };
    var svg = el('svg:svg', { viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none' });
    niceTicks(ymin, ymax, 5).forEach(function (t) {
      svg.appendChild(el('svg:line', { 'class': 'axis', x1: L, x2: W - R, y1: sy(t), y2: sy(t) }));
      svg.appendChild(el('svg:text', { x: L - 6, y: sy(t) + 4, 'text-anchor': 'end' }, opts.logY ? fmt(Number(Math.pow(10, t).toPrecision(3))) : fmt(t)));
    });
    if (opts.xLabels) {
      opts.xLabels.forEach(function (label, i) { svg.appendChild(el('svg:text', { x: sx(i), y: H - 8, 'text-anchor': 'middle' }, label)); });
    } else {
      niceTicks(xmin, xmax, Math.max(2, Math.floor(W / 110))).forEach(function (t) {
        svg.appendChild(el('svg:text', { x: sx(t), y: H - 8, 'text-anchor': 'middle' }, opts.xTime ? fmtTime(t) : fmt(t)));
      });
    }
    svg.appendChild(el('svg:line', { 'class': 'axis', x1: L, x2: L, y1: T, y2: H - B }));
    series.forEach(function (s) {
      if (opts.dots || s.pts.length === 1) {
        s.pts.forEach(function (p) {
          var c = el('svg:circle', { cx: sx(p[0]), cy: sy(p[1]), r: 4, fill: s.color });
          c.appendChild(el('svg:title', null, s.name + ': ' + (p[2] !== undefined ? p[2] : fmt(p[0])) + ', ' + fmt(p[1])));
          svg.appendChild(c);
        });
        return;
      }
      var d = '';
      s.pts.forEach(function (p, i) { d += (i ? 'L' : 'M') + sx(p[0]).toFixed(1) + ' ' + sy(p[1]).toFixed(1); });
      svg.appendChild(el('svg:path', { 'class': 'series', d: d, stroke: s.color }));
    });
    plot.appendChild(svg);
    var legend = el('div', { 'class': 'legend' });
    series.forEach(function (s) {
      var item = el('span'), swatch = el('i');
      swatch.style.background = s.color;
      item.appendChild(swatch); item.appendChild(document.createTextNode(s.name + ' (' + s.pts.length + ' points)'));
      legend.appendChild(item);
    });
    plot.appendChild(legend);
    if (opts.dots) { return; }
    var tip = el('div', { 'class': 'tip', hidden: '' });
    plot.appendChild(tip);
    svg.addEventListener('mousemove', function (e) {
      var box = svg.getBoundingClientRect(), x = xmin + ((e.clientX - box.left) / box.width * W - L) / (W - L - R) * (xmax - xmin);
      var lines = [];
      series.forEach(function (s) {
        var best = null;
        s.pts.forEach(function (p) { if (!best || Math.abs(p[0] - x) < Math.abs(best[0] - x)) { best = p; } });
        if (best) { lines.push(s.name + ': ' + fmt(opts.logY ? Math.pow(10, best[1]) : best[1]) + ' @ ' + (opts.xTime ? fmtTime(best[0]) : fmt(best[0]))); }
      });
      tip.textContent = lines.join(' · ');
      tip.hidden = false;
      tip.style.left = Math.min(e.clientX - box.left + 12, box.width - 200) + 'px';
      tip.style.top = (e.clientY - box.top + 12) + 'px';
    });
    svg.addEventListener('mouseleave', function () { tip.hidden = true; });
  }

  // Metric charts: the server samples each history (a million points become about a thousand per run).
  document.querySelectorAll('section.charts').forEach(function (section) {
    var api = section.getAttribute('data-api'), runs = section.getAttribute('data-runs');
    var controls = { x: section.querySelector('[name=x]'), log: section.querySelector('[name=log]'), smooth: section.querySelector('[name=smooth]') };
    var figures = Array.prototype.slice.call(section.querySelectorAll('figure.chart'));
    var data = new Map();
    function render(figure) {
      var json = data.get(figure), plot = figure.querySelector('.plot');
      if (!json) { return; }
      var mode = controls.x.value, logY = controls.log.checked, w = Number(controls.smooth.value);
      var series = json.runs.map(function (run, i) {
        var t0 = run.points.length ? run.points[0][1] : 0, last = 0, n = 0, pts = [];
        run.points.forEach(function (p) {
          var y = p[2];
          if (logY) { if (!(y > 0)) { return; } y = Math.log10(y); }
          if (w > 0) { last = last * w + (1 - w) * y; n++; y = last / (1 - Math.pow(w, n)); }
          pts.push([mode === 'step' ? p[0] : mode === 'time' ? p[1] : (p[1] - t0) / 1000, y]);
        });
        return { name: run.name, color: COLORS[i % COLORS.length], pts: pts };
      });
      draw(plot, series, { logY: logY, xTime: mode === 'time', empty: logY ? 'No positive values to draw on a log scale.' : 'No points.' });
      figure.setAttribute('data-drawn', String(series.reduce(function (a, s) { return a + s.pts.length; }, 0)));
    }
    figures.forEach(function (figure) {
      var url = api + '?runs=' + encodeURIComponent(runs) + '&key=' + encodeURIComponent(figure.getAttribute('data-key'));
      fetch(url, { credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) { return r.json().then(function (e) { throw new Error(e.message || r.statusText); }); }
        return r.json();
      }).then(function (json) { data.set(figure, json); render(figure); })
        .catch(function (e) { var plot = figure.querySelector('.plot'); plot.textContent = ''; plot.appendChild(el('p', { 'class': 'notice error' }, 'Cannot load the chart: ' + e.message)); });
    });
    [controls.x, controls.log, controls.smooth].forEach(function (c) { c.addEventListener('input', function () { figures.forEach(render); }); });
  });

  // Compare: a metric against a param, one dot per run (a param that is not numeric is placed by category).
  document.querySelectorAll('section.scatter').forEach(function (section) {
    var data = JSON.parse(section.querySelector('script.compare-data').textContent);
    var metric = section.querySelector('[name=metric]'), param = section.querySelector('[name=param]'), plot = section.querySelector('.plot');
    function render() {
      var values = data.runs.map(function (r) { return r.params[param.value]; });
      var numeric = values.every(function (v) { return v === undefined || (v !== '' && isFinite(Number(v))); });
      var categories = [];
      var series = data.runs.map(function (r, i) {
        var v = r.params[param.value], y = r.metrics[metric.value];
        if (v === undefined || y === undefined) { return { name: r.name, color: COLORS[i % COLORS.length], pts: [] }; }
        var x = numeric ? Number(v) : (categories.indexOf(v) < 0 ? categories.push(v) - 1 : categories.indexOf(v));
        return { name: r.name, color: COLORS[i % COLORS.length], pts: [[x, y, v]] };
      });
      draw(plot, series, { dots: true, xLabels: numeric ? null : categories, empty: 'No run has both this metric and this param.' });
    }
    metric.addEventListener('input', render);
    if (param) { param.addEventListener('input', render); }
    render();
  });

  // Artifact previews: images shown, CSV as a table, JSON indented, text as text; anything else offered for download.
  document.querySelectorAll('section.artifacts').forEach(function (section) {
    var api = section.getAttribute('data-api'), preview = section.querySelector('.preview');
    if (!preview) { return; }
    var IMAGES = ['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp'];
    var TEXT = ['txt', 'log', 'yaml', 'yml', 'md', 'py', 'ini', 'toml', 'cfg', 'xml', 'html', 'mlmodel', 'mlproject', 'err', 'rst', 'sql', 'r', 'cs', 'sh'];
    function csvRows(text, sep) {
      var rows = [], row = [], cell = '', quoted = false;
      for (var i = 0; i < text.length && rows.length < 501; i++) {
        var c = text[i];
        if (quoted) { if (c === '"') { if (text[i + 1] === '"') { cell += '"'; i++; } else { quoted = false; } } else { cell += c; } }
        else if (c === '"') { quoted = true; } else if (c === sep) { row.push(cell); cell = ''; }
        else if (c === '\n' || c === '\r') { if (c === '\r' && text[i + 1] === '\n') { i++; } row.push(cell); rows.push(row); row = []; cell = ''; }
        else { cell += c; }
      }
      if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
      return rows;
    }
    function show(path) {
      var url = api + '&path=' + encodeURIComponent(path), ext = path.split('/').pop().split('.').pop().toLowerCase();
      preview.textContent = '';
      var head = el('p');
      head.appendChild(el('strong', { 'class': 'mono' }, path));
      head.appendChild(document.createTextNode(' '));
      head.appendChild(el('a', { href: url + '&download=1' }, 'Download'));
      preview.appendChild(head);
      if (IMAGES.indexOf(ext) >= 0) { preview.appendChild(el('img', { src: url, alt: path })); return; }
      var isText = TEXT.indexOf(ext) >= 0 || path.split('/').pop() === 'MLmodel';
      if (ext !== 'csv' && ext !== 'tsv' && ext !== 'json' && !isText) { preview.appendChild(el('p', { 'class': 'muted' }, 'No preview for this kind of file.')); return; }
      fetch(url, { credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) { throw new Error(r.status + ' ' + r.statusText); }
        return r.text();
      }).then(function (text) {
        var limit = 1024 * 1024, cut = text.length > limit;
        if (cut) { text = text.slice(0, limit); }
        if (ext === 'csv' || ext === 'tsv') {
          var rows = csvRows(text, ext === 'csv' ? ',' : '\t'), wrap = el('div', { 'class': 'scroll' }), table = el('table', { 'class': 'grid csv' });
          rows.forEach(function (cells, i) {
            var tr = el('tr');
            cells.forEach(function (c) { tr.appendChild(el(i === 0 ? 'th' : 'td', null, c)); });
            table.appendChild(tr);
          });
          wrap.appendChild(table); preview.appendChild(wrap);
          if (rows.length > 500) { preview.appendChild(el('p', { 'class': 'muted' }, 'The first 500 rows are shown.')); }
          return;
        }
        if (ext === 'json') { try { text = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* shown as it is */ } }
        preview.appendChild(el('pre', null, text));
        if (cut) { preview.appendChild(el('p', { 'class': 'muted' }, 'The first megabyte is shown; download the file for the rest.')); }
      }).catch(function (e) { preview.appendChild(el('p', { 'class': 'notice error' }, 'Cannot preview: ' + e.message)); });
    }
    document.querySelectorAll('button.artifact-link').forEach(function (button) {
      button.addEventListener('click', function () {
        document.querySelectorAll('button.artifact-link[aria-current]').forEach(function (b) { b.removeAttribute('aria-current'); });
        button.setAttribute('aria-current', 'true');
        show(button.getAttribute('data-path'));
        if (button.closest('.model')) { preview.scrollIntoView({ block: 'nearest' }); }
      });
    });
  });
})();
