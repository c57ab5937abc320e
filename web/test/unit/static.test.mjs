// The static build for a deployed API, and the tests' static server's path checks.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {apiOrigin, build, withApiBaseUrl, withConnectSrc} from '../../tools/build-static.mjs';
import {resolveStatic} from '../support/static-server.mjs';

test('the API origin is added to connect-src once, and nothing else changes in the policy', () => {
  const html = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; connect-src \'self\'; base-uri \'none\'">';
  const once = withConnectSrc(html, 'https://abc.execute-api.eu-west-1.amazonaws.com');
  assert.equal(once, '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; connect-src \'self\' https://abc.execute-api.eu-west-1.amazonaws.com; base-uri \'none\'">');
  assert.equal(withConnectSrc(once, 'https://abc.execute-api.eu-west-1.amazonaws.com'), once);
});

test('apiBaseUrl is set in config.js', () => {
  assert.match(withApiBaseUrl("export default {\n  apiBaseUrl: '',\n};", 'https://api.example/dev/'), /apiBaseUrl: "https:\/\/api\.example\/dev",/);
});

test('only plain http(s) API URLs are accepted', () => {
  assert.equal(apiOrigin('https://api.example/dev'), 'https://api.example');
  assert.throws(() => apiOrigin('javascript:alert(1)'));
  assert.throws(() => apiOrigin('https://api.example/dev?x=1'));
  assert.throws(() => apiOrigin("https://api.example/x'; script-src *"));
});

test('build writes the client with the API URL and CSP, and nothing else', async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'web-build-'));
  try {
    await build({apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev', out});
    assert.deepEqual((await readdir(out)).sort(), ['config.js', 'index.html', 'src', 'styles.css']);
    assert.match(await readFile(path.join(out, 'config.js'), 'utf8'), /apiBaseUrl: "https:\/\/abc\.execute-api\.eu-west-1\.amazonaws\.com\/dev"/);
    assert.match(await readFile(path.join(out, 'index.html'), 'utf8'), /connect-src 'self' https:\/\/abc\.execute-api\.eu-west-1\.amazonaws\.com;/);
  } finally {
    await rm(out, {recursive: true, force: true});
  }
});

test('the static server serves the client\'s files only', () => {
  assert.equal(resolveStatic('/'), 'index.html');
  assert.equal(resolveStatic('/src/main.js'), 'src/main.js');
  for (const bad of ['/../package.json', '/%2e%2e/package.json', '/src/..%2f..%2fpackage.json', '/package.json',
    '/node_modules/jsqr/package.json', '/test/unit/api.test.mjs', '/.gitignore', '/src/%00.js', '/%zz']) {
    assert.equal(resolveStatic(bad), null, bad);
  }
});
