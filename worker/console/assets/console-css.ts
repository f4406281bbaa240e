/** The console's stylesheet, served at /console.css. Plain CSS, no framework. */
export const CONSOLE_CSS = `
:root { --fg:#1d2430; --muted:#5b6676; --line:#dde2ea; --bg:#f6f7f9; --accent:#2457d6; --ok:#1c7c3c; --warn:#a35b00; --bad:#b3261e; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); }
header { display:flex; align-items:center; gap:1.5rem; padding:.6rem 1.2rem; background:#fff; border-bottom:1px solid var(--line); }
header .brand { font-weight:700; }
header nav { display:flex; gap:1rem; flex:1; }
header nav a { color: var(--muted); text-decoration:none; }
header nav a.active { color: var(--accent); font-weight:600; }
header .who { color: var(--muted); font-size:.9rem; }
main { max-width: 1100px; margin: 1.2rem auto; padding: 0 1.2rem; }
h1 { font-size:1.4rem; margin:.2rem 0 1rem; }
h2 { font-size:1.1rem; margin:1.4rem 0 .6rem; }
section.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:1rem 1.2rem; margin-bottom:1rem; }
table { width:100%; border-collapse:collapse; background:#fff; }
th, td { text-align:left; padding:.45rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; font-size:.92rem; }
th { color: var(--muted); font-weight:600; }
pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size:.85rem; }
pre { background:#0f1720; color:#e6edf3; padding:.8rem; border-radius:6px; overflow:auto; white-space:pre-wrap; word-break:break-word; }
input, select, textarea, button { font: inherit; padding:.35rem .5rem; border:1px solid var(--line); border-radius:5px; }
button { background: var(--accent); color:#fff; border-color: var(--accent); cursor:pointer; }
button.secondary { background:#fff; color: var(--fg); border-color: var(--line); }
button.danger { background: var(--bad); border-color: var(--bad); }
form.inline { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; }
textarea { width:100%; min-height:8rem; }
.muted { color: var(--muted); }
.status { font-weight:600; }
.status-ok, .status-completed, .status-allow { color: var(--ok); }
.status-expiring, .status-paused, .status-approve, .status-running { color: var(--warn); }
.status-needs_reauth, .status-rejected, .status-failed, .status-block, .status-expired, .status-cancelled { color: var(--bad); }
.notice { padding:.6rem .8rem; border-radius:6px; background:#eef3ff; margin:.6rem 0; }
.error { background:#fdecea; color: var(--bad); }
`;
