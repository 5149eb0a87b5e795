"""The self-contained HTML report: sortable matrix, heat map and bar chart, all inline.

The charts are drawn by matplotlib on the server side and inlined as SVG (text kept as
text), so the file works offline with no script or font from anywhere else. Colour is
never the only signal: every cell carries a status word and symbol, the bar chart uses
hatching as well as colour, and each chart has a table with the same numbers.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from jinja2 import Environment

from . import Report
from .matrix import ACHIEVED, ATTEMPTED, BASIS_TEXT, NOT_STARTED, SYMBOL
from .outputs import RULE_TEXT, notes_lines, number_text, pathway_table

# Okabe-Ito colours, safe for colour-blind readers; cell tints keep black text at AA contrast.
CHART_COLOURS = {ACHIEVED: "#0072B2", ATTEMPTED: "#E69F00", NOT_STARTED: "#BBBBBB"}
HATCH = {ACHIEVED: "", ATTEMPTED: "//", NOT_STARTED: ".."}
HEATMAP_LIMIT = 200  # learners drawn in the heat map; the table always has everyone
ANNOTATE_LIMIT = 60


def _svg(figure) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "ccm-report"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    text = re.sub(r"^<\?xml[^>]*>\s*", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)
    return text.replace("<svg ", '<svg role="img" focusable="false" aria-hidden="true" ', 1)


def bar_chart(report: Report) -> str:
    from matplotlib.figure import Figure

    summary = report.competency_summary()
    labels = [f"{row['title']} ({row['competency']})" for row in summary][::-1]
    figure = Figure(figsize=(8, 0.45 * len(labels) + 1.4))
    axes = figure.subplots()
    left = [0] * len(labels)
    for status, field in ((ACHIEVED, "achieved"), (ATTEMPTED, "attempted"), (NOT_STARTED, "not_started")):
        values = [row[field] for row in summary][::-1]
        bars = axes.barh(labels, values, left=left, color=CHART_COLOURS[status], hatch=HATCH[status],
                         edgecolor="#222222", linewidth=0.5, label=f"{SYMBOL[status]} {status}")
        for bar, value in zip(bars, values):
            if value:
                axes.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(value),
                          ha="center", va="center", fontsize=8, color="black",
                          bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
        left = [a + b for a, b in zip(left, values)]
    axes.set_xlabel("learners")
    axes.set_title("Achievement per competency")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 1.2 / (0.45 * len(labels) + 1.4)), ncol=3,
                frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def heat_map(report: Report, keys: list[str]) -> str:
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    keys = keys[:HEATMAP_LIMIT]
    order = [NOT_STARTED, ATTEMPTED, ACHIEVED]
    grid = [[order.index(view.status) for view in report.matrix.row(key)] for key in keys]
    competencies = list(report.catalogue.competency_ids)
    width = max(5.0, 0.55 * len(competencies) + 3)
    height = max(2.5, 0.28 * len(keys) + 2.2)
    figure = Figure(figsize=(width, height))
    axes = figure.subplots()
    colours = ListedColormap([CHART_COLOURS[s] for s in order])
    axes.imshow(grid or [[0] * len(competencies)], cmap=colours, vmin=0, vmax=2, aspect="auto",
                interpolation="nearest")
    axes.set_xticks(range(len(competencies)), competencies, rotation=45, ha="right", fontsize=8)
    names = [report.person(k)[0] or k for k in keys]
    if len(keys) <= ANNOTATE_LIMIT:
        axes.set_yticks(range(len(keys)), names, fontsize=8)
        for y, row in enumerate(grid):
            for x, value in enumerate(row):
                axes.text(x, y, SYMBOL[order[value]], ha="center", va="center", fontsize=9,
                          color="white" if order[value] == ACHIEVED else "black")
    else:
        axes.set_yticks([])
        axes.set_ylabel(f"{len(keys)} learners, in the table's order")
    axes.set_title("Learners × competencies")
    return _svg(figure)


TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Competency report — {{ title }}</title>
<style>
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #111; background: #fff;
       line-height: 1.45; margin: 0 auto; max-width: 82rem; padding: 1rem 1.5rem 3rem; }
h1, h2 { line-height: 1.2; }
a { color: #0b4f8a; }
:focus-visible { outline: 3px solid #1d1d1b; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #767676; padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
.scroll { overflow-x: auto; max-width: 100%; }
td.s-achieved { background: #d6e9f8; } td.s-attempted { background: #fdebc4; } td.s-not-started { background: #f4f4f4; }
.sym { font-weight: 700; }
th button { font: inherit; font-weight: 600; border: 0; background: none; padding: 0; cursor: pointer; color: inherit;
            text-align: left; }
th button::after { content: " ⇅"; color: #555; }
th[aria-sort="ascending"] button::after { content: " ▲"; } th[aria-sort="descending"] button::after { content: " ▼"; }
figure { margin: 1rem 0 2rem; } figure svg { max-width: 100%; height: auto; }
.legend span { display: inline-block; margin-right: 1.2rem; }
.small { font-size: .85rem; color: #333; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  th button::after, .skip, .noprint { display: none; }
  td.s-achieved, td.s-attempted, td.s-not-started { background: none !important; }
  table, figure { page-break-inside: auto; } tr { page-break-inside: avoid; }
  .scroll { overflow: visible; }
}
</style>
</head>
<body>
<a class="skip" href="#matrix">Skip to the matrix</a>
<header>
<h1>Competency report: {{ title }}</h1>
<p>Framework: {{ framework.title }} (version {{ framework.version }}). {{ learners|length }} learners,
{{ competencies|length }} competencies. Generated {{ generated }}.</p>
<p><strong>Rule for “achieved” ({{ rule }}):</strong> {{ rule_text }}.</p>
<p class="legend">Key: {% for s in statuses %}<span><span class="sym" aria-hidden="true">{{ symbols[s] }}</span> {{ s }}</span>{% endfor %}</p>
</header>
<main>
<nav aria-label="Sections" class="noprint"><ul>
<li><a href="#summary">Achievement per competency</a></li><li><a href="#heatmap">Heat map</a></li>
<li><a href="#matrix">Learner × competency matrix</a></li><li><a href="#pathways">Pathways</a></li>
<li><a href="#evidence">What the results rest on</a></li></ul></nav>

<section aria-labelledby="summary">
<h2 id="summary">Achievement per competency</h2>
<figure aria-labelledby="bar-caption">
{{ bar_svg|safe }}
<figcaption id="bar-caption">Bar chart: learners who achieved, attempted or have not started each competency. The same
numbers are in the table below.</figcaption>
</figure>
<div class="scroll"><table class="sortable">
<caption>Learners per competency and status</caption>
<thead><tr><th scope="col">Competency</th><th scope="col">Title</th><th scope="col">{{ symbols[statuses[0]] }} Achieved</th>
<th scope="col">{{ symbols[statuses[1]] }} Attempted</th><th scope="col">{{ symbols[statuses[2]] }} Not started</th>
<th scope="col">% achieved</th><th scope="col">Modules</th></tr></thead>
<tbody>{% for row in summary %}<tr><th scope="row">{{ row.competency }}</th><td>{{ row.title }}</td><td>{{ row.achieved }}</td>
<td>{{ row.attempted }}</td><td>{{ row.not_started }}</td><td>{{ row.percent_achieved }}</td><td>{{ row.modules|join(", ") }}</td></tr>
{% endfor %}</tbody></table></div>
</section>

<section aria-labelledby="heatmap">
<h2 id="heatmap">Heat map</h2>
<figure aria-labelledby="heat-caption">
{{ heat_svg|safe }}
<figcaption id="heat-caption">Heat map of learners (rows) by competencies (columns){% if heat_cut %}, first {{ heat_limit }}
learners only{% endif %}. Each cell’s status is also written in the matrix below.</figcaption>
</figure>
</section>

<section aria-labelledby="matrix">
<h2 id="matrix">Learner × competency matrix</h2>
<p class="small noprint">Select a column heading to sort by it. Each cell: status, best / latest score, date first achieved.</p>
<div class="scroll"><table class="sortable" id="matrix-table">
<caption>Status of every learner in every competency</caption>
<thead><tr><th scope="col" aria-sort="ascending">Learner</th>{% for c in competencies %}<th scope="col"><abbr title="{{ c.title }}">{{ c.id }}</abbr></th>{% endfor %}</tr></thead>
<tbody>
{% for l in learners %}<tr><th scope="row">{{ l.name or l.key }}{% if l.name and l.email %}<br><span class="small">{{ l.email }}</span>{% endif %}</th>
{% for v in l.cells %}<td class="s-{{ v.status|replace(', not yet achieved', '')|replace(' ', '-') }}" data-sort="{{ order[v.status] }}"><span class="sym" aria-hidden="true">{{ symbols[v.status] }}</span> {{ v.status }}{% if v.best is not none %}<br><span class="small">best {{ num(v.best) }}, latest {{ num(v.latest) }}</span>{% endif %}{% if v.first_achieved %}<br><span class="small">since {{ v.first_achieved[:10] }}</span>{% endif %}{% if v.basis %}<br><span class="small">basis: {{ v.basis|join(", ") }}</span>{% endif %}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></div>
</section>

<section aria-labelledby="pathways">
<h2 id="pathways">Pathways</h2>
{% if pathway_rows %}<div class="scroll"><table class="sortable">
<caption>Who completed each pathway, who is part-way and who has not started</caption>
<thead><tr>{% for h in pathway_header %}<th scope="col">{{ h|replace("_", " ") }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in pathway_rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}</tbody>
</table></div>{% else %}<p>The course has no pathways.</p>{% endif %}
</section>

<section aria-labelledby="evidence">
<h2 id="evidence">What the results rest on</h2>
<dl>{% for k, v in basis.items() %}<dt><strong>{{ k }}</strong></dt><dd>{{ v }}</dd>{% endfor %}</dl>
<h3>Inputs and notes</h3>
<ul>{% for line in notes %}<li>{{ line }}</li>{% endfor %}</ul>
</section>
</main>
<script>
(function () {
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = document.createElement('button');
      button.type = 'button';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir);
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var cell = row.cells[index];
          var v = cell.getAttribute('data-sort') || cell.textContent.trim();
          return v !== '' && !isNaN(v) ? Number(v) : v.toLowerCase();
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b), r = x < y ? -1 : x > y ? 1 : 0;
          return dir === 'ascending' ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
</script>
</body>
</html>
"""


def render_html(report: Report) -> str:
    keys = report.learner_keys()
    framework = report.course.framework
    learners = []
    for key in keys:
        name, email, _ = report.person(key)
        learners.append({"key": key, "name": name, "email": email, "cells": report.matrix.row(key)})
    header, rows = pathway_table(report)
    environment = Environment(autoescape=True)
    template = environment.from_string(TEMPLATE)
    return template.render(
        lang=report.course.settings.language or "en-GB", title=report.course.settings.title, framework=framework,
        generated=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), rule=report.matrix.rule,
        rule_text=RULE_TEXT[report.matrix.rule], statuses=[ACHIEVED, ATTEMPTED, NOT_STARTED], symbols=SYMBOL,
        order={ACHIEVED: 2, ATTEMPTED: 1, NOT_STARTED: 0}, competencies=framework.competencies, learners=learners,
        summary=report.competency_summary(), bar_svg=bar_chart(report), heat_svg=heat_map(report, keys),
        heat_cut=len(keys) > HEATMAP_LIMIT, heat_limit=HEATMAP_LIMIT, pathway_header=header, pathway_rows=rows,
        basis=BASIS_TEXT, notes=notes_lines(report), num=number_text)
