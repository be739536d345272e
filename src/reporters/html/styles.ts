/** The HTML report's stylesheet: system fonts only, verdict colours, and a print layout for PDF. */
export const STYLES = `
:root {
  --fg: #0f172a; --muted: #475569; --line: #e2e8f0; --bg: #ffffff; --soft: #f8fafc;
  --good: #15803d; --good-bg: #dcfce7; --warn: #b45309; --warn-bg: #fef3c7; --bad: #b91c1c; --bad-bg: #fee2e2;
  --info: #1d4ed8; --info-bg: #dbeafe;
  --band-preflight: rgba(100,116,139,0.06); --band-baseline: rgba(37,99,235,0.06);
  --band-fault: rgba(234,88,12,0.12); --band-recovery: rgba(22,163,74,0.08);
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 0 24px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.6rem 0 .5rem; }
p { margin: .4rem 0 .8rem; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .88em; }
code { background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 0 .3em; overflow-wrap: anywhere; }
pre { background: #0f172a; color: #e2e8f0; padding: .7rem .9rem; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; }
a { color: var(--info); }
.verdict { padding: 20px 24px; margin: 0 -24px 1rem; border-bottom: 4px solid; }
.verdict.good { background: var(--good-bg); border-color: var(--good); }
.verdict.warn { background: var(--warn-bg); border-color: var(--warn); }
.verdict.bad { background: var(--bad-bg); border-color: var(--bad); }
.verdict .label { display: inline-block; font-weight: 800; letter-spacing: .04em; padding: .15rem .6rem; border-radius: 4px; color: #fff; margin-right: .6rem; }
.verdict.good .label { background: var(--good); } .verdict.warn .label { background: var(--warn); } .verdict.bad .label { background: var(--bad); }
.verdict .reason { font-size: 1.1rem; font-weight: 600; }
.eyebrow { color: var(--muted); font-size: .85rem; text-transform: uppercase; letter-spacing: .06em; margin: 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; margin: 1rem 0; }
.figure { border: 1px solid var(--line); border-radius: 8px; padding: .55rem .8rem; background: var(--bg); }
.figure .k { color: var(--muted); font-size: .8rem; } .figure .v { font-size: 1.1rem; font-weight: 650; overflow-wrap: anywhere; }
.figure.bad { border-color: var(--bad); } .figure.bad .v { color: var(--bad); }
.alert { border: 2px solid var(--bad); background: var(--bad-bg); border-radius: 8px; padding: .8rem 1rem; margin: 1rem 0; }
.alert.warning { border-color: var(--warn); background: var(--warn-bg); }
.alert strong.tag { color: var(--bad); } .alert.warning strong.tag { color: var(--warn); }
nav.toc { font-size: .9rem; color: var(--muted); margin: .5rem 0 1rem; }
nav.toc a { margin-right: 1rem; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .55rem; border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
th.nowrap, td.nowrap { white-space: nowrap; }
th { background: var(--soft); font-weight: 650; }
table.kv th { background: none; width: 11rem; font-weight: 500; color: var(--muted); }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.missed td, tr.no-data td, tr.impact-hurt td { background: #fff5f5; }
tr.near-miss td { background: #fffbeb; }
.chip { display: inline-block; font-size: .78rem; font-weight: 700; padding: .05rem .45rem; border-radius: 999px; white-space: nowrap; }
.chip.missed, .chip.no-data, .chip.no, .chip.worse, .chip.critical { background: var(--bad-bg); color: var(--bad); }
.chip.near-miss, .chip.partly, .chip.warning, .chip.changed { background: var(--warn-bg); color: var(--warn); }
.chip.held, .chip.yes, .chip.better { background: var(--good-bg); color: var(--good); }
.chip.unknown, .chip.team, .chip.same, .chip.info, .chip.new, .chip.gone { background: var(--soft); color: var(--muted); border: 1px solid var(--line); }
.muted { color: var(--muted); }
ul.observations { list-style: none; padding: 0; }
ul.observations > li { border-left: 4px solid var(--line); padding: .3rem .7rem; margin: .4rem 0; }
ul.observations > li.critical { border-color: var(--bad); background: var(--bad-bg); }
ul.observations > li.warning { border-color: var(--warn); }
ol.whys li.empty { color: var(--muted); }
.chain { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .9rem; margin: .6rem 0; }
.chain .problem { font-weight: 650; }
figure.chart { margin: 1rem 0 1.6rem; border: 1px solid var(--line); border-radius: 8px; padding: .6rem .6rem .3rem; break-inside: avoid; }
figure.chart figcaption { font-weight: 650; margin: 0 .2rem .4rem; overflow-wrap: anywhere; }
figure.chart figcaption .muted { font-weight: 400; font-size: .85rem; }
.plot { width: 100%; min-height: 300px; }
.fd-hover { min-height: 1.3em; font-size: .82rem; color: var(--muted); margin: .2rem .3rem; }
.keys { font-size: .82rem; color: var(--muted); margin: .2rem .3rem .4rem; }
.keys span { display: inline-block; margin-right: 1rem; white-space: nowrap; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.sw-baseline { background: rgba(37,99,235,0.25); } .sw-fault { background: rgba(234,88,12,0.35); } .sw-recovery { background: rgba(22,163,74,0.3); }
.sw-inject { background: #c2410c; } .sw-revert { background: #15803d; } .sw-kill { background: #7c3aed; } .sw-failed { background: #dc2626; border-radius: 50%; }
.notes-text { white-space: pre-wrap; }
.pm-lists { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 0 18px; }
.pm-list h3 { margin-top: .8rem; }
.pm-list.well h3 { color: var(--good); } .pm-list.badly h3 { color: var(--bad); } .pm-list.lucky h3 { color: var(--warn); }
ul.links .url { color: var(--muted); font-size: .85rem; overflow-wrap: anywhere; }
footer { margin-top: 3rem; padding-top: .8rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; }
@page { margin: 14mm 12mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav.toc, .fd-hover, .u-legend { display: none; }
  .verdict { margin: 0 0 .8rem; }
  .verdict, .chip, .alert, tr.missed td, tr.near-miss td, figure.chart { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; } h3 { break-after: avoid; }
  tr, .alert, .chain, .figure { break-inside: avoid; }
  figure.chart { border: none; padding: 0; }
  .plot { min-height: 0; }
  .uplot, .uplot canvas { max-width: 100%; }
  .uplot canvas { height: auto; }
  a { color: inherit; text-decoration: none; }
  .pm-lists { display: block; }
  pre { background: #f1f5f9; color: #0f172a; border: 1px solid var(--line); }
}
`;
