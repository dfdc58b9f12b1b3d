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

const lines = ["var Plotly = require('plotly.js/lib/core');", 'Plotly.register(['];
for (const trace of spec.traces) lines.push(`  require('plotly.js/lib/${trace}'),`);
for (const locale of spec.locales) lines.push(`  require('plotly.js/lib/locales/${locale}'),`);
lines.push(']);', 'module.exports = Plotly;');

const banner = `/* plotly.js v${installed} (MIT, Plotly, Inc.), a custom bundle of the cockpit: ` +
  `traces ${spec.traces.join(', ')}; locales ${spec.locales.join(', ')}. ` +
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
