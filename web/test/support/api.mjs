// Direct HTTP calls for the browser tests' set-up and cross-checks (the browser does the real work).

export class TestApi {
  constructor(baseUrl) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async call(method, path, {body, token, headers = {}} = {}) {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {...headers, ...(body ? {'Content-Type': 'application/json'} : {}), ...(token ? {Authorization: `Bearer ${token}`} : {})},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return {status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null};
  }

  /** The newest outbox message's code of `kind` for `email` that arrived after `since` (ms), waiting for it. */
  async outboxCode(email, kind, since = 0, timeoutMs = 15_000) {
    return (await this.outboxMessage(email, kind, since, timeoutMs)).code;
  }

  /** The newest outbox message ({at, email, kind, code, text}) of `kind` for `email` after `since` (ms), waiting for it. */
  async outboxMessage(email, kind, since = 0, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const {status, body} = await this.call('GET', `/_local/outbox?email=${encodeURIComponent(email)}`);
      if (status !== 200) throw new Error(`outbox answered ${status}`);
      const message = (body.messages ?? []).find((m) => m.kind === kind && Date.parse(m.at) >= since - 1000);
      if (message) return message;
      if (Date.now() > deadline) throw new Error(`no ${kind} message for ${email} in the outbox`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Signs up and confirms a user over HTTP; returns nothing, throws on failure. */
  async createConfirmedUser(email, password, name) {
    const since = Date.now();
    const signUp = await this.call('POST', '/auth/sign-up', {body: {email, password, name}});
    if (signUp.status !== 202) throw new Error(`sign-up answered ${signUp.status}: ${JSON.stringify(signUp.body)}`);
    const code = await this.outboxCode(email, 'SIGN_UP', since);
    const confirm = await this.call('POST', '/auth/confirm', {body: {email, code, password}});
    if (confirm.status !== 200) throw new Error(`confirm answered ${confirm.status}: ${JSON.stringify(confirm.body)}`);
  }

  async login(email, password) {
    return this.call('POST', '/auth/login', {body: {email, password}});
  }
}

export async function waitForHealth(baseUrl, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/health`);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${baseUrl}/health did not answer in ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
