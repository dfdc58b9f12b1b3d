// Build assets/plotly-cockpit.min.js: plotly.js with only the traces the cockpit draws.
// Run by scripts/build_plotly_bundle.sh (which installs the pinned packages); the list of
// traces, the locales and the versions are in traces.json beside this file.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const spec = JSON.parse(readFileSync(join(here, 'traces.json'), 'utf8'));
const toolDir = process.argv[2];
const outfile = process.argv[3];
const require = createRequire(join(toolDir, 'package.json'));
const { build } = require('esbuild');
const installed = require('plotly.js/package.json').version;
if (installed !== spec['plotly.js']) {
  throw new Error(`plotly.js ${installed} installed, ${spec['plotly.js']} wanted`);
}

// The bundle is evaluated in steps, a task each, so that no single task of the page's main
// thread runs the whole of it (150–300 ms, Lighthouse's longest task): window.Plotly is at once
// an object whose react() waits for the last step (assets/02-plotly-draws.js draws nothing before
// it: `cockpitPending`), then becomes plotly.js itself. The steps follow the order in which
// plotly.js's own core requires its modules (d3 and plotly's lib first, then the registry, the
// plots, the axes, the drawing, the plot API, the components), then each trace and the locales.
const STEPS = spec.steps;
const lines = [
  'var Plotly = {};',
  'var real = null;',
  'var ready;',
  'Plotly.cockpitPending = new Promise(function (resolve) { ready = resolve; });',
  'Plotly.react = function () {',
  '  var args = arguments;',
  '  if (real) { return real.react.apply(real, args); }',
  '  return Plotly.cockpitPending.then(function () { return real.react.apply(real, args); });',
  '};',
  'Plotly.purge = function (gd) { return real ? real.purge(gd) : gd; };',
  'Plotly.Plots = {resize: function (gd) {',
  '  return Plotly.cockpitPending.then(function () { return real.Plots.resize(gd); });',
  '}};',
  'var steps = [',
];
for (const modules of STEPS) {
  lines.push(`  function () { ${modules.map((m) => `require('${m}');`).join(' ')} },`);
}
lines.push("  function () { real = require('plotly.js/lib/core'); },");
for (const trace of spec.traces) {
  if (trace !== 'scatter') {
    lines.push(`  function () { real.register(require('plotly.js/lib/${trace}')); },`);
  }
}
lines.push('  function () { real.register([');
for (const locale of spec.locales) lines.push(`    require('plotly.js/lib/locales/${locale}'),`);
lines.push('  ]); },', '];');
lines.push(
  'function run() {',
  '  steps.shift()();',
  '  if (steps.length) { setTimeout(run, 0); return; }',
  '  Object.keys(real).forEach(function (key) { if (key !== "react") { Plotly[key] = real[key]; } });',
  '  delete Plotly.cockpitPending;',
  '  ready(Plotly);',
  '}',
  'run();',
  'module.exports = Plotly;',
);

const banner = `/* plotly.js v${installed} (MIT, Plotly, Inc.), a custom bundle of the cockpit: ` +
  `traces ${spec.traces.join(', ')}; locales ${spec.locales.join(', ')}; ` +
  `evaluated in ${lines.filter((l) => l.startsWith('  function')).length} steps. ` +
  'Rebuild: scripts/build_plotly_bundle.sh */';

await build({
  stdin: { contents: lines.join('\n'), resolveDir: toolDir, loader: 'js' },
  nodePaths: [join(toolDir, 'node_modules')],
  outfile,
  format: 'iife',
  globalName: 'Plotly',
  bundle: true,
  minify: true,
  legalComments: 'none',
  banner: { js: banner },
  alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
  define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
  // maplibre's stylesheet (src/registry.js) is for the map traces, which are not bundled.
  loader: { '.css': 'empty' },
  target: 'es2016',
  logLevel: 'warning',
});
