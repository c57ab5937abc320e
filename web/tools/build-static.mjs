#!/usr/bin/env node
// Prepares the client for static hosting against a deployed API:
//
//   npm run build -- --api-url https://abc123.execute-api.eu-west-1.amazonaws.com/dev [--out dist]
//
// copies index.html, styles.css, config.js and src/ to the output folder (dist/ by default), sets
// apiBaseUrl in config.js and adds the API's origin to the Content-Security-Policy's connect-src.
// Nothing is bundled or minified: the files are the sources. Also used by the tests' static server.
import {cp, mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STATIC_FILES = ['index.html', 'styles.css', 'config.js', 'src'];

/** The origin of an API base URL; throws for anything but an absolute http(s) URL. */
export function apiOrigin(apiUrl) {
  if (/['"`\\\s<>]/.test(apiUrl)) throw new Error(`The API URL has characters it cannot have: ${apiUrl}`);
  const url = new URL(apiUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Not an http(s) URL: ${apiUrl}`);
  if (url.username || url.password || url.search || url.hash) throw new Error(`The API URL must be plain: ${apiUrl}`);
  return url.origin;
}

/** index.html with `origin` added to connect-src (once). */
export function withConnectSrc(indexHtml, origin) {
  let found = false;
  const result = indexHtml.replace(/(<meta http-equiv="Content-Security-Policy" content="[^"]*?connect-src )([^;"]*)/, (_m, head, sources) => {
    found = true;
    const list = sources.split(/\s+/).filter(Boolean);
    if (!list.includes(origin)) list.push(origin);
    return head + list.join(' ');
  });
  if (!found) throw new Error('index.html has no Content-Security-Policy connect-src to extend');
  return result;
}

/** config.js with apiBaseUrl set. */
export function withApiBaseUrl(configJs, apiUrl) {
  let found = false;
  const result = configJs.replace(/apiBaseUrl: ('[^']*'|"[^"]*")/, () => {
    found = true;
    return `apiBaseUrl: ${JSON.stringify(apiUrl.replace(/\/+$/, ''))}`;
  });
  if (!found) throw new Error('config.js has no apiBaseUrl to set');
  return result;
}

/** The two files that change for an API URL, as strings. */
export async function configuredFiles(apiUrl, root = WEB_ROOT) {
  const origin = apiOrigin(apiUrl); // also refuses what could break out of the string or the policy
  return {
    'index.html': withConnectSrc(await readFile(path.join(root, 'index.html'), 'utf8'), origin),
    'config.js': withApiBaseUrl(await readFile(path.join(root, 'config.js'), 'utf8'), apiUrl),
  };
}

export async function build({apiUrl, out}) {
  await rm(out, {recursive: true, force: true});
  await mkdir(out, {recursive: true});
  for (const name of STATIC_FILES) await cp(path.join(WEB_ROOT, name), path.join(out, name), {recursive: true});
  for (const [name, text] of Object.entries(await configuredFiles(apiUrl))) await writeFile(path.join(out, name), text);
}

function parseArgs(argv) {
  const args = {out: path.join(WEB_ROOT, 'dist')};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--api-url') args.apiUrl = argv[++i];
    else if (argv[i] === '--out') args.out = path.resolve(argv[++i]);
    else throw new Error(`Unknown argument ${argv[i]}`);
  }
  if (!args.apiUrl) throw new Error('usage: build-static.mjs --api-url <https://api.example/stage> [--out dist]');
  return args;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const args = parseArgs(process.argv.slice(2));
    await build(args);
    console.log(`Wrote ${args.out} for the API at ${args.apiUrl}`);
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
}
