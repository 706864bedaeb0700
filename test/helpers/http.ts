/** A response as tests inspect it. */
export interface Res<T = any> { status: number; body: T; headers: Headers }

/** A tiny HTTP client that keeps a session cookie, like a browser would. */
export class TestClient {
  cookie = "";

  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get("set-cookie");
    if (setCookie) {
      const first = setCookie.split(";")[0]!;
      this.cookie = first.endsWith("=") ? "" : first;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(path: string) { return this.request<T>("GET", path); }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) { return this.request<T>("POST", path, body, headers); }
  patch<T = any>(path: string, body?: unknown) { return this.request<T>("PATCH", path, body); }
  put<T = any>(path: string, body?: unknown) { return this.request<T>("PUT", path, body); }
  delete<T = any>(path: string) { return this.request<T>("DELETE", path); }

  /** Signs in; throws when it fails, so tests read as the user story. */
  async login(username: string, password = "demo"): Promise<this> {
    const r = await this.post("/api/auth/login", { username, password });
    if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return this;
  }
}

/** A signed-in client. */
export async function signedIn(baseUrl: string, username: string): Promise<TestClient> {
  return new TestClient(baseUrl).login(username);
}
