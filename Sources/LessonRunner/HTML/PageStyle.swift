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
  --hl-kw: #a0306e; --hl-ty: #6a3ea6; --hl-num: #0b6e78; --hl-str: #1b7a33; --hl-com: #7b8590;
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
    --hl-kw: #f08dbf; --hl-ty: #c4a6f5; --hl-num: #6fd3dc; --hl-str: #8fd49b; --hl-com: #8a939d;
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
.lb-topbar {
  font-family: var(--ui-font); font-size: 0.85rem; color: var(--muted);
  border-bottom: 1px solid var(--rule);
}
.lb-topbar-inner {
  max-width: 46rem; margin: 0 auto; padding: 0.7rem 1.25rem;
  display: flex; gap: 1rem; align-items: center; justify-content: space-between;
}
.lb-topbar a { color: var(--muted); text-decoration: none; }
.lb-topbar a:hover { color: var(--link); text-decoration: underline; }
main.lb-lesson, main.lb-index { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
main.lb-lesson > p, main.lb-lesson > ul, main.lb-lesson > ol, main.lb-lesson > blockquote,
main.lb-lesson > h1, main.lb-lesson > h2, main.lb-lesson > h3, main.lb-lesson > h4 { max-width: 65ch; }
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
/* The cell's name sits on the top border like a tab, so it never covers code. */
.lb-cell-code .lb-label {
  position: absolute; top: -0.75em; right: 0.8em; padding: 0 0.45em; line-height: 1.5;
  background: var(--bg); border-radius: 3px;
  text-transform: none; letter-spacing: 0.01em; font-size: 0.74rem;  /* ids are names: keep their case */
}
.lb-cell-code .lb-label .lb-time { text-transform: none; letter-spacing: 0; font-weight: 400; }
.lb-cell-code + .lb-output, .lb-cell-code + .lb-error, .lb-cell-code + .lb-note { margin-top: 0.5em; }
.lb-output {
  background: var(--out-bg); border-left: 3px solid var(--out-rule); border-radius: 0 6px 6px 0;
  padding: 0.5em 1em 0.75em;
}
.lb-output > .lb-label { display: block; color: var(--out-label); margin-bottom: 0.35em; }
/* Printed text keeps its columns (tensors, carets): scroll instead of wrapping. */
.lb-output pre { white-space: pre; overflow-x: auto; }
.lb-output > * + * { margin-top: 0.8em; }
.lb-output > .lb-label + * { margin-top: 0; }
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
thead th { background: var(--table-head); border-bottom: 2px solid var(--fg); font-weight: 600; }
table { border-top: 1px solid var(--rule); border-bottom: 2px solid var(--fg); }
tbody tr + tr td { border-top: 1px solid var(--rule); }
tbody tr:nth-child(even) td { background: var(--table-stripe); }
tfoot td { border-top: 2px solid var(--fg); font-weight: 600; }
td.lb-num, th.lb-num { text-align: right; }

/* Figures: images and plots. */
figure { margin: 0; }
.lb-figure { display: inline-block; max-width: 100%; vertical-align: top; }
.lb-image img {
  display: block; max-width: 100%; height: auto; background: var(--figure-bg);
  image-rendering: pixelated; image-rendering: crisp-edges;
  border: 1px solid var(--rule); border-radius: 2px;
}
.lb-image img { image-rendering: pixelated; }
.lb-plot-figure { display: block; }
.lb-plot-figure svg { display: block; width: 100%; max-width: 640px; height: auto; border-radius: 4px; }
figcaption {
  font-family: var(--ui-font); font-size: 0.8rem; color: var(--muted); margin-top: 0.4em;
}
figcaption .lb-caption-title { color: var(--fg); font-weight: 600; }
figcaption a { color: var(--muted); }

footer.lb-footer {
  max-width: min(43.5rem, calc(100% - 1.8rem)); margin: 0 auto; padding: 1.5rem 0 3rem; border-top: 1px solid var(--rule);
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

/* Index page. */
.lb-index h1 { margin-bottom: 0.2em; }
.lb-index .lb-summary { font-family: var(--ui-font); color: var(--muted); margin-bottom: 2em; }
.lb-index table { width: 100%; font-size: 0.95rem; }
.lb-index td.lb-reason { color: var(--muted); font-size: 0.85em; }
.lb-index td.lb-title a { font-family: var(--prose-font); font-size: 1.05rem; text-decoration: none; }
.lb-index td.lb-title a:hover { text-decoration: underline; }

@media (max-width: 40rem) {
  body { font-size: 1.05rem; }
  main.lb-lesson, main.lb-index { padding: 1.2rem 0.9rem 3rem; }
}
@media print {
  .lb-topbar { display: none; }
  .lb-cell { break-inside: avoid; }
}
"""#
}
