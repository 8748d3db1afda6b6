/// The stylesheet every page carries inline (pages are self-contained apart from KaTeX).
///
/// Prose in a serif at about 65 characters a line; code in a monospace block; outputs set
/// apart from the code that made them by a left rule, a tint and an "output" label; errors
/// in red. Colours are custom properties so `prefers-color-scheme: dark` swaps them in one
/// place.
public enum PageStyle {
    public static let css = #"""
:root {
  color-scheme: light dark;
  --bg: #fbfaf7; --fg: #1d2126; --muted: #5f6872; --rule: #dedbd2; --link: #1f5fa8;
  --code-bg: #f3f1ec; --code-fg: #1d2126; --code-border: #e3dfd5;
  --out-bg: #eef4fb; --out-rule: #5b8fd1; --out-label: #3b6fb0;
  --err-bg: #fdf0ef; --err-rule: #c9372c; --err-fg: #9f1f16;
  --warn-bg: #fbf5e6; --warn-rule: #c28a12;
  --table-head: #e9eef5; --table-stripe: rgba(0, 0, 0, 0.025);
  --hl-kw: #a0306e; --hl-ty: #6a3ea6; --hl-num: #0b6e78; --hl-str: #1b7a33; --hl-com: #5c6670;
  --hl-fn: #1f5fa8; --hl-op: #8a4b12; --hl-pun: #5f6872;
  --figure-bg: #ffffff;
  --prose-font: Charter, "Bitstream Charter", "Iowan Old Style", "Palatino Linotype", Palatino, "Source Serif Pro", Georgia, "Liberation Serif", "DejaVu Serif", serif;
  --ui-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", "DejaVu Sans", sans-serif;
  --mono-font: ui-monospace, "SF Mono", "JetBrains Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16181c; --fg: #dfe2e6; --muted: #9aa3ad; --rule: #32363d; --link: #7fb2f0;
    --code-bg: #1f2228; --code-fg: #e3e6ea; --code-border: #2d3139;
    --out-bg: #1a2330; --out-rule: #4f86c9; --out-label: #8fb8ea;
    --err-bg: #2d1a1a; --err-rule: #e0584c; --err-fg: #ff9c92;
    --warn-bg: #2b2514; --warn-rule: #d6a53a;
    --table-head: #232a35; --table-stripe: rgba(255, 255, 255, 0.03);
    --hl-kw: #f08dbf; --hl-ty: #c4a6f5; --hl-num: #6fd3dc; --hl-str: #8fd49b; --hl-com: #98a1ab;
    --hl-fn: #84b8f4; --hl-op: #e3a66f; --hl-pun: #a3acb6;
    --figure-bg: #f4f4f2;
  }
  .lb-plot .lb-plot-bg { fill: #1f2228; }
  .lb-plot .lb-plot-grid { stroke: #363b44; }
  .lb-plot .lb-plot-axis { stroke: #9aa3ad; }
  .lb-plot .lb-plot-text { fill: #9aa3ad; }
  .lb-plot .lb-plot-title, .lb-plot .lb-plot-label { fill: #dfe2e6; }
  .lb-plot .lb-plot-frame { stroke: #5f6872; }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font-family: var(--prose-font); font-size: 1.125rem; line-height: 1.62;
  font-kerning: normal; text-rendering: optimizeLegibility;
}
.lb-skip {
  position: absolute; left: 0.5rem; top: -3rem; z-index: 10; padding: 0.4rem 0.8rem;
  background: var(--bg); color: var(--link); font-family: var(--ui-font); border: 1px solid var(--rule);
}
.lb-skip:focus { top: 0.5rem; }
.lb-topbar {
  font-family: var(--ui-font); font-size: 0.9rem; color: var(--muted);
  border-bottom: 1px solid var(--rule); position: relative; z-index: 5;
}
.lb-topbar-inner {
  max-width: 90rem; margin: 0 auto; padding: 0.55rem 1.25rem;
  display: flex; gap: 1rem; align-items: center;
}
.lb-topbar a { color: var(--fg); text-decoration: none; }
.lb-topbar a:hover { color: var(--link); text-decoration: underline; }
.lb-course { font-weight: 650; flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.lb-lessons-link { display: none; }
.lb-search { position: relative; margin-left: auto; flex: 0 1 18rem; min-width: 8rem; }
.lb-search input {
  width: 100%; font: inherit; padding: 0.3rem 0.6rem; border: 1px solid var(--rule); border-radius: 6px;
  background: var(--code-bg); color: var(--fg);
}
.lb-search-results {
  position: absolute; right: 0; top: calc(100% + 0.3rem); width: min(30rem, 92vw); max-height: 70vh; overflow-y: auto;
  margin: 0; padding: 0.3rem 0; list-style: none; background: var(--bg); border: 1px solid var(--rule);
  border-radius: 6px; box-shadow: 0 6px 24px rgba(0, 0, 0, 0.18);
}
.lb-search-results li + li { margin-top: 0; border-top: 1px solid var(--rule); }
.lb-search-results a, .lb-search-none { display: block; padding: 0.45rem 0.8rem; color: var(--fg); }
.lb-search-results strong { display: block; color: var(--link); font-weight: 600; }
.lb-search-results span { display: block; font-size: 0.82rem; color: var(--muted); }

/* Three columns on wide screens: lessons, content, contents of the page. */
.lb-layout {
  display: grid; max-width: 90rem; margin: 0 auto; gap: 0 2.5rem; padding: 0 1.25rem;
  grid-template-columns: 14rem minmax(0, 1fr) 13rem; grid-template-areas: "side main toc";
}
.lb-layout.lb-alone { grid-template-columns: minmax(0, 1fr) 13rem; grid-template-areas: "main toc"; max-width: 72rem; }
.lb-layout > main { grid-area: main; min-width: 0; }
.lb-sidebar { grid-area: side; }
.lb-toc { grid-area: toc; }
.lb-sidebar, .lb-toc {
  font-family: var(--ui-font); font-size: 0.86rem; line-height: 1.4;
  position: sticky; top: 0; align-self: start; max-height: 100vh; overflow-y: auto; padding: 1.6rem 0 2rem;
}
.lb-sidebar ol, .lb-toc ol { list-style: none; margin: 0; padding: 0; }
.lb-sidebar li + li, .lb-toc li + li { margin-top: 0; }
.lb-sidebar a, .lb-toc a { display: block; color: var(--muted); text-decoration: none; padding: 0.28rem 0.6rem; border-left: 2px solid transparent; }
.lb-sidebar a:hover, .lb-toc a:hover { color: var(--link); }
.lb-sidebar a[aria-current="page"] { color: var(--fg); font-weight: 650; border-left-color: var(--link); background: var(--code-bg); }
.lb-sidebar-home { font-weight: 650; color: var(--fg) !important; margin-bottom: 0.4rem; }
.lb-sidebar ol { counter-reset: lesson; }
.lb-sidebar li a::before { counter-increment: lesson; content: counter(lesson) ". "; color: var(--muted); }
.lb-toc-title { font-weight: 650; margin: 0 0 0.4rem; color: var(--fg); }
.lb-toc-3 a { padding-left: 1.4rem; font-size: 0.95em; }
main.lb-lesson, main.lb-index { padding: 2rem 0 4rem; }
main.lb-index { max-width: 60rem; margin: 0 auto; }
/* Prose keeps a readable measure; code, outputs and tables may use the whole column. */
main.lb-lesson > p, main.lb-lesson > ul, main.lb-lesson > ol, main.lb-lesson > blockquote,
main.lb-lesson > .lb-callout, main.lb-lesson > .footnotes { max-width: 65ch; }
main.lb-lesson > h1, main.lb-lesson > h2, main.lb-lesson > h3, main.lb-lesson > h4 { max-width: 41rem; }
/* Below 96rem the contents of the page move above the content, so code and outputs keep
   about 60rem (wider than the prose) on a laptop screen. */
@media (max-width: 96rem) {
  .lb-layout { grid-template-columns: 13rem minmax(0, 1fr); grid-template-areas: "side toc" "side main"; }
  .lb-layout.lb-alone { grid-template-columns: minmax(0, 1fr); grid-template-areas: "toc" "main"; }
  .lb-toc { position: static; max-height: none; padding: 1.2rem 0 0; }
  .lb-toc ol { columns: 2 14rem; }
}
@media (max-width: 50rem) {
  .lb-layout, .lb-layout.lb-alone { grid-template-columns: minmax(0, 1fr); grid-template-areas: "toc" "main" "side"; padding: 0 0.9rem; }
  .lb-sidebar { position: static; max-height: none; border-top: 1px solid var(--rule); }
  .lb-lessons-link { display: inline; }
  .lb-topbar-inner { flex-wrap: wrap; padding: 0.5rem 0.9rem; gap: 0.4rem 1rem; }
  .lb-search { flex: 1 1 100%; order: 3; }
}
.lb-pager { display: flex; gap: 1rem; margin: 3rem 0 0; padding-top: 1.2rem; border-top: 1px solid var(--rule); font-family: var(--ui-font); }
.lb-pager a { flex: 1 1 0; display: block; padding: 0.6rem 0.9rem; border: 1px solid var(--rule); border-radius: 6px; text-decoration: none; }
.lb-pager a:hover { border-color: var(--link); }
.lb-pager span { display: block; font-size: 0.75rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.05em; }
.lb-pager .lb-next { text-align: right; margin-left: auto; }
.lb-lesson-list { padding-left: 1.4em; }
.lb-lesson-list li { margin-bottom: 0.7em; }
.lb-lesson-list a { font-weight: 650; }
.lb-lesson-list p { margin: 0.1em 0 0; color: var(--muted); }
.lb-anchor { margin-left: 0.35em; text-decoration: none; color: var(--rule); font-weight: 400; opacity: 0; }
.lb-anchor::after { content: "#"; }
h1:hover .lb-anchor, h2:hover .lb-anchor, h3:hover .lb-anchor, h4:hover .lb-anchor, .lb-anchor:focus { opacity: 1; color: var(--muted); }
:target { scroll-margin-top: 1rem; }
h1, h2, h3, h4 { line-height: 1.25; font-weight: 650; letter-spacing: -0.01em; margin: 2.2em 0 0.6em; }
h1 { font-size: 2.1rem; margin-top: 0.6em; letter-spacing: -0.02em; }
h2 { font-size: 1.5rem; padding-bottom: 0.25em; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.2rem; }
h4 { font-size: 1.05rem; }
p, ul, ol, blockquote { margin: 0 0 1.05em; }
li + li { margin-top: 0.25em; }
a { color: var(--link); text-underline-offset: 0.15em; }
strong { font-weight: 650; }
hr { border: 0; border-top: 1px solid var(--rule); margin: 2.5em 0; }
blockquote { margin-left: 0; padding: 0.1em 1.1em; border-left: 3px solid var(--rule); color: var(--muted); }
code, kbd, samp, pre { font-family: var(--mono-font); font-size: 0.84em; }
:not(pre) > code {
  background: var(--code-bg); border: 1px solid var(--code-border); border-radius: 4px;
  padding: 0.08em 0.3em; white-space: break-spaces;
}
pre { margin: 0; overflow-x: auto; line-height: 1.5; tab-size: 4; }
pre code { font-size: inherit; }
main.lb-lesson > pre {
  background: var(--code-bg); border: 1px solid var(--code-border); border-radius: 6px;
  padding: 0.8em 1em; margin: 0 0 1.2em;
}
main.lb-lesson > img, main.lb-lesson p img { max-width: 100%; }
.math.display { display: block; margin: 1.1em 0; overflow-x: auto; overflow-y: hidden; text-align: center; }
.katex { font-size: 1.08em; }
.lb-nowrap { white-space: nowrap; }

/* A cell: its code, then what it produced. */
.lb-cell { margin: 1.6em 0 1.8em; }
.lb-cell-code {
  position: relative; background: var(--code-bg); color: var(--code-fg);
  border: 1px solid var(--code-border); border-radius: 6px;
}
.lb-cell-code pre { padding: 0.85em 1em; }
.lb-label {
  font-family: var(--ui-font); font-size: 0.7rem; font-weight: 600; letter-spacing: 0.06em;
  text-transform: uppercase; color: var(--muted); user-select: none;
}
.lb-cell-code + .lb-output, .lb-cell-code + .lb-error, .lb-cell-code + .lb-note, .lb-output + .lb-note { margin-top: 0.5em; }
.lb-output {
  background: var(--out-bg); border-left: 3px solid var(--out-rule); border-radius: 0 6px 6px 0;
  padding: 0.5em 1em 0.75em;
}
.lb-output > .lb-label { display: block; color: var(--out-label); margin-bottom: 0.35em; }
/* Printed text keeps its columns (tensors, carets): scroll instead of wrapping. */
.lb-output pre { white-space: pre; overflow-x: auto; }
.lb-output > * + * { margin-top: 0.8em; }
.lb-output > .lb-label + * { margin-top: 0; }
/* Figures side by side share one top line. */
.lb-output > .lb-image { margin-top: 0.3em; margin-right: 1.2em; }
.lb-error {
  background: var(--err-bg); border-left: 3px solid var(--err-rule); border-radius: 0 6px 6px 0;
  padding: 0.5em 1em 0.75em; color: var(--err-fg);
}
.lb-error > .lb-label { display: block; color: var(--err-rule); margin-bottom: 0.35em; }
.lb-error pre { white-space: pre; overflow-x: auto; color: var(--err-fg); }
.lb-output + .lb-error { margin-top: 0.5em; }
.lb-note {
  font-family: var(--ui-font); font-size: 0.85rem; color: var(--muted);
  border-left: 3px solid var(--warn-rule); background: var(--warn-bg); border-radius: 0 6px 6px 0;
  padding: 0.45em 1em;
}

/* GitHub alerts, footnotes, task lists, struck text. */
.lb-callout { margin: 0 0 1.2em; padding: 0.6em 1em 0.1em; border-left: 4px solid var(--out-rule); background: var(--out-bg); border-radius: 0 6px 6px 0; }
.lb-callout-title { font-family: var(--ui-font); font-weight: 650; font-size: 0.9rem; margin: 0 0 0.3em; color: var(--out-label); }
.lb-callout-tip { border-left-color: #2f8a4b; } .lb-callout-tip .lb-callout-title { color: #24733d; }
.lb-callout-important { border-left-color: #7a4fc4; } .lb-callout-important .lb-callout-title { color: #6a3ea6; }
.lb-callout-warning { border-left-color: var(--warn-rule); background: var(--warn-bg); } .lb-callout-warning .lb-callout-title { color: #8a6200; }
.lb-callout-caution { border-left-color: var(--err-rule); background: var(--err-bg); } .lb-callout-caution .lb-callout-title { color: var(--err-fg); }
@media (prefers-color-scheme: dark) {
  .lb-callout-tip .lb-callout-title { color: #7fd49a; } .lb-callout-important .lb-callout-title { color: #c4a6f5; }
  .lb-callout-warning .lb-callout-title { color: #e3bb5c; }
}
.footnotes { font-size: 0.9em; color: var(--muted); border-top: 1px solid var(--rule); margin-top: 2.5em; padding-top: 0.5em; }
ul.contains-task-list, .contains-task-list { list-style: none; padding-left: 1.2em; }
.task-list-item input { margin: 0 0.45em 0 -1.2em; vertical-align: -0.1em; }
del { color: var(--muted); }
main.lb-lesson > table { display: block; max-width: 100%; overflow-x: auto; }

/* Disclosures: folded code and hidden solutions (plain <details>: no script needed). */
details.lb-fold, details.lb-solution { border: 1px solid var(--code-border); border-radius: 6px; }
details.lb-fold > summary, details.lb-solution > summary {
  cursor: pointer; font-family: var(--ui-font); font-size: 0.85rem; font-weight: 600; color: var(--link);
  padding: 0.45em 0.9em; list-style-position: inside;
}
details.lb-solution > summary { color: #1b7a33; }
@media (prefers-color-scheme: dark) { details.lb-solution > summary { color: #6fcf86; } }
details[open].lb-fold > summary, details[open].lb-solution > summary { border-bottom: 1px solid var(--code-border); }
details.lb-fold > .lb-cell-code, details.lb-solution > .lb-cell-code { border: 0; border-radius: 0 0 6px 6px; }
details.lb-solution > .lb-output, details.lb-solution > .lb-error, details.lb-solution > .lb-note { margin: 0.5em; }
details.lb-fold + .lb-output { margin-top: 0.5em; }
.lb-expected-error { background: var(--err-bg); border-left-color: var(--err-rule); }
.lb-expected-error > .lb-label { color: var(--err-rule); }
.lb-expected-error pre { color: var(--err-fg); }
.lb-varies { text-transform: none; letter-spacing: 0; font-weight: 400; color: var(--muted); }
.lb-copy {
  position: absolute; top: 0.35rem; right: 0.35rem; font-family: var(--ui-font); font-size: 0.72rem;
  padding: 0.15rem 0.5rem; border: 1px solid var(--code-border); border-radius: 4px; background: var(--bg);
  color: var(--muted); cursor: pointer; opacity: 0.4;
}
.lb-cell-code:hover .lb-copy, .lb-copy:focus { opacity: 1; }

/* Syntax colours (classes from the LessonScript lexer). */
.hl-kw { color: var(--hl-kw); font-weight: 600; }
.hl-ty { color: var(--hl-ty); }
.hl-num { color: var(--hl-num); }
.hl-str { color: var(--hl-str); }
.hl-com { color: var(--hl-com); font-style: italic; }
.hl-fn { color: var(--hl-fn); }
.hl-op { color: var(--hl-op); }
.hl-pun { color: var(--hl-pun); }

/* Tables: outputs and prose. */
.lb-table-wrap { overflow-x: auto; }
table {
  border-collapse: collapse; font-family: var(--ui-font); font-size: 0.85rem;
  font-variant-numeric: tabular-nums; margin: 0 0 1em;
}
.lb-output table { margin: 0; background: var(--bg); }
caption {
  caption-side: top; text-align: left; font-weight: 600; padding: 0 0 0.4em; color: var(--fg);
}
th, td { padding: 0.35em 0.8em; text-align: left; vertical-align: top; }
.lb-output td, .lb-output th { white-space: nowrap; }
thead th { background: var(--table-head); border-bottom: 2px solid var(--fg); font-weight: 600; }
table { border-top: 1px solid var(--rule); border-bottom: 2px solid var(--fg); }
tbody tr + tr td { border-top: 1px solid var(--rule); }
tbody tr:nth-child(even) td { background: var(--table-stripe); }
tfoot td { border-top: 2px solid var(--fg); font-weight: 600; }
td.lb-num, th.lb-num { text-align: right; }
.lb-tree-toggle {
  font: inherit; line-height: 1; width: 1.3em; margin: 0 0.2em 0 -0.2em; padding: 0; border: 0;
  background: none; color: var(--link); cursor: pointer;
}

/* Figures: images and plots. */
figure { margin: 0; }
.lb-figure { display: inline-block; max-width: 100%; vertical-align: top; }
.lb-image img {
  display: block; max-width: 100%; height: auto; background: var(--figure-bg);
  image-rendering: pixelated; image-rendering: crisp-edges;
  border: 1px solid var(--rule); border-radius: 2px;
}
.lb-image img { image-rendering: pixelated; }
/* Channel labels in the corner of each map of a grid. */
.lb-maps { position: relative; display: inline-block; max-width: 100%; vertical-align: top; }
.lb-map-label {
  position: absolute; margin: 2px; padding: 0 3px; border-radius: 2px; pointer-events: none;
  font-family: var(--ui-font); font-size: 10px; line-height: 1.4; color: #1d2126; background: rgba(255, 255, 255, 0.78);
}
.lb-plot-figure { display: block; }
.lb-diagram-figure { display: block; }
.lb-legend { display: none; flex-wrap: wrap; gap: 0.2em 1em; margin-bottom: 0.3em; color: var(--fg); }
.lb-legend i { display: inline-block; width: 1.4em; height: 3px; margin-right: 0.4em; vertical-align: middle; border-radius: 2px; }
.lb-diagram-scroll { overflow-x: auto; }
.lb-diagram-scroll svg { display: block; max-width: none; border: 1px solid var(--rule); border-radius: 4px; }
.lb-plot-figure svg { display: block; width: 100%; max-width: 640px; height: auto; border-radius: 4px; }
figcaption {
  font-family: var(--ui-font); font-size: 0.8rem; color: var(--muted); margin-top: 0.4em;
}
figcaption .lb-caption-title { color: var(--fg); font-weight: 600; }
figcaption a { color: var(--muted); }

footer.lb-footer {
  max-width: min(87.5rem, calc(100% - 2.5rem)); margin: 0 auto; padding: 1.5rem 0 3rem; border-top: 1px solid var(--rule);
  font-family: var(--ui-font); font-size: 0.8rem; color: var(--muted);
}

/* Status badges (header and index). */
.lb-badge {
  display: inline-block; font-family: var(--ui-font); font-size: 0.72rem; font-weight: 600;
  letter-spacing: 0.04em; text-transform: uppercase; padding: 0.15em 0.55em; border-radius: 999px;
  border: 1px solid currentColor;
}
.lb-badge.passed { color: #1b7a33; }
.lb-badge.failed { color: var(--err-rule); }
.lb-badge.skipped { color: var(--warn-rule); }
@media (prefers-color-scheme: dark) { .lb-badge.passed { color: #6fcf86; } }

/* Report page. */
.lb-index h1 { margin-bottom: 0.2em; }
.lb-index .lb-summary { font-family: var(--ui-font); color: var(--muted); margin-bottom: 2em; }
.lb-index table { width: 100%; font-size: 0.95rem; }
.lb-index td.lb-reason { color: var(--muted); font-size: 0.85em; }
.lb-index td.lb-title a { font-family: var(--prose-font); font-size: 1.05rem; text-decoration: none; }
.lb-index td.lb-title a:hover { text-decoration: underline; }

@media (max-width: 40rem) {
  body { font-size: 1.05rem; }
  /* A plot is scaled down to the phone's width; larger text in its units keeps it >= 11 px. */
  .lb-plot { font-size: 23px; }
  .lb-plot .lb-plot-legend { display: none; }
  .lb-legend { display: flex !important; }
  .lb-plot .lb-plot-text, .lb-plot .lb-plot-legend { font-size: 23px; }
  .lb-plot .lb-plot-title { font-size: 26px; }
  main.lb-lesson, main.lb-index { padding: 1.2rem 0 3rem; }
}
@media print {
  .lb-topbar, .lb-sidebar, .lb-toc, .lb-pager, .lb-copy, .lb-skip, .lb-anchor { display: none !important; }
  .lb-layout { display: block; max-width: none; padding: 0; }
  .lb-cell { break-inside: avoid; }
  /* Paper cannot scroll: long lines wrap instead of being clipped. */
  pre, .lb-output pre, .lb-error pre { white-space: pre-wrap !important; overflow-wrap: anywhere; overflow: visible !important; }
  .lb-table-wrap, main table { overflow: visible !important; }
  details.lb-fold > *, details.lb-solution > * { display: block; }
}
"""#
}
