/**
 * Drives Pulumi's real Node.js dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`)
 * over gRPC the way the engine does, without the Pulumi CLI (not installable here):
 * - `installBuiltPackage()` compiles the package, packs it with `npm pack` (its `files` and
 *   `exports` as published) and installs the tarball into `<tmp>/program/node_modules`;
 * - `registerResources()` runs a stand-in program in a child process that constructs
 *   `PresignedUrl` from that installed package under the SDK's mocks, so `__provider` is
 *   serialized by the SDK itself, and returns the RegisterResource requests;
 * - `ProviderHost` spawns the host with a chosen cwd and environment (and optionally a fake
 *   clock preloaded with NODE_OPTIONS), and exposes its RPCs;
 * - `Stack` replays the engine's step logic for one resource (check, diff, create/update/same,
 *   read, delete; secrets stripped before calls and re-marked on outputs).
 * The Go engine itself is not run: state encryption and the dependency graph are out of scope.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
const SDK = path.dirname(require.resolve('@pulumi/pulumi/package.json', { paths: [REPO] }));
const fromSdk = (id: string) => require(require.resolve(id, { paths: [SDK] }));
/* eslint-disable @typescript-eslint/no-explicit-any */
const grpc = fromSdk('@grpc/grpc-js');
const provrpc = require(path.join(SDK, 'proto/provider_grpc_pb'));
const provproto = require(path.join(SDK, 'proto/provider_pb'));
const structproto = fromSdk('google-protobuf/google/protobuf/struct_pb');

/** How the engine spells an unknown value on the wire (preview). */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const SECRET_VALUE_SIG = '1b47061264138c4ac30d75fd1eb44270';
export const FAKE_CLOCK = path.join(__dirname, 'fake-clock.js');
export const TYPE = 'pulumi-nodejs:dynamic/cos-presign:PresignedUrl';
/** Loading the SDK takes the host ~1 s alone, but far longer on a machine busy with other test runs. */
const HOST_START_MS = 60000;

export type Props = Record<string, any>;

export interface InstalledProgram {
  root: string;
  /** The program directory: `node_modules/cos-presign` (from the tarball) and `node_modules/@pulumi`. */
  program: string;
  tarball: string;
  cleanup(): void;
}

/**
 * Build, `npm pack` and install the package as a user gets it. Set COS_PRESIGN_PACKAGE_TGZ to
 * test an existing tarball (e.g. the one CI publishes) instead of building one.
 */
export function installBuiltPackage(): InstalledProgram {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-pulumi-'));
  let tarball = process.env.COS_PRESIGN_PACKAGE_TGZ ?? '';
  if (!tarball) {
    const stage = path.join(root, 'stage');
    fs.mkdirSync(stage);
    // The build's compiler options (tsconfig.build.json), emitting only what the package
    // needs for this test into a private directory: the shared lib/ is left alone.
    const tsconfig = path.join(root, 'tsconfig.json');
    fs.writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: path.join(REPO, 'tsconfig.build.json'),
        compilerOptions: { outDir: path.join(stage, 'lib'), typeRoots: [path.join(REPO, 'node_modules/@types')] },
        include: [
          'src/core/**/*.ts',
          'src/shared/**/*.ts',
          'src/credentials/**/*.ts',
          'src/index.ts',
          'pulumi/**/*.ts',
        ].map((p) => path.join(REPO, p)),
      }),
    );
    execFileSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], {
      stdio: 'pipe',
    });
    for (const f of ['package.json', 'README.md', 'SECURITY.md', 'LICENSE']) {
      if (fs.existsSync(path.join(REPO, f))) fs.copyFileSync(path.join(REPO, f), path.join(stage, f));
    }
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', root], {
        cwd: stage,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    tarball = path.join(root, packed[0].filename);
  }
  const program = path.join(root, 'program');
  const pkg = path.join(program, 'node_modules', 'cos-presign');
  fs.mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', pkg, '--strip-components=1']);
  fs.symlinkSync(path.join(REPO, 'node_modules', '@pulumi'), path.join(program, 'node_modules', '@pulumi'), 'dir');
  // What `npm install` of the tarball adds: the package's runtime dependencies (the STS clients
  // behind `cos-presign/credentials` use undici and p-retry), resolved from the repository.
  const manifest = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    fs.mkdirSync(path.dirname(path.join(program, 'node_modules', dep)), { recursive: true });
    fs.symlinkSync(path.join(REPO, 'node_modules', dep), path.join(program, 'node_modules', dep), 'dir');
  }
  fs.writeFileSync(path.join(program, 'package.json'), JSON.stringify({ name: 'presign-test-program', private: true }));
  return { root, program, tarball, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export interface Registration {
  type: string;
  name: string;
  /** Inputs with secrets unwrapped, as the engine sends them to a provider that does not accept secrets. */
  inputs: Props;
  /** Top-level inputs that were secret (or held a secret). */
  secretInputs: Set<string>;
  additionalSecretOutputs: string[];
  /** The wire form, secrets still wrapped. */
  raw: Props;
}

function unwrapSecrets(v: any): { value: any; secret: boolean } {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    if (v[SECRET_SIG] === SECRET_VALUE_SIG) return { value: unwrapSecrets(v.value).value, secret: true };
    let secret = false;
    const out: Props = {};
    for (const [k, x] of Object.entries(v)) {
      const u = unwrapSecrets(x);
      out[k] = u.value;
      secret ||= u.secret;
    }
    return { value: out, secret };
  }
  if (Array.isArray(v)) {
    const items = v.map(unwrapSecrets);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  return { value: v, secret: false };
}

/**
 * Runs `register-program.js` in a child process (like `pulumi up` runs the program) with the
 * given environment, and returns what each `new PresignedUrl(...)` registered.
 */
export function registerResources(
  program: string,
  specs: Array<{ name: string; args: Props }> | { program: string; count: number },
  env: Record<string, string>,
): Registration[] {
  const script = path.join(program, 'register-program.js');
  fs.copyFileSync(path.join(__dirname, 'register-program.js'), script);
  const out = execFileSync(process.execPath, [script, JSON.stringify(specs)], {
    cwd: program,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60000,
  });
  return (JSON.parse(out) as Props[]).map((r) => {
    const secretInputs = new Set<string>();
    const inputs: Props = {};
    for (const [k, v] of Object.entries(r.inputs as Props)) {
      const u = unwrapSecrets(v);
      inputs[k] = u.value;
      if (u.secret) secretInputs.add(k);
    }
    return {
      type: r.type,
      name: r.name,
      inputs,
      secretInputs,
      additionalSecretOutputs: r.additionalSecretOutputs,
      raw: r.inputs,
    };
  });
}

const struct = (o: Props) => structproto.Struct.fromJavaScript(o);

export interface CheckFailure {
  property: string;
  reason: string;
}

/** One running dynamic-provider host process and a gRPC client to it. */
export class ProviderHost {
  private output = '';
  private constructor(
    private child: ChildProcess,
    private client: any,
  ) {}

  /**
   * `cwd` is the program directory (where the host resolves `require`s in `__provider`).
   * `env` is the host's whole environment besides PATH. `clockFile` preloads the fake clock.
   */
  static async start(opts: { cwd: string; env?: Record<string, string>; clockFile?: string }): Promise<ProviderHost> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', ...opts.env };
    if (opts.clockFile) {
      env.NODE_OPTIONS = `--require ${FAKE_CLOCK}`;
      env.COS_PRESIGN_TEST_CLOCK_FILE = opts.clockFile;
    }
    // As the engine's `pulumi-resource-pulumi-nodejs` does: the host entry point, cwd = program dir.
    const entry = path.join(SDK, 'cmd', 'dynamic-provider', 'index.js');
    const child = spawn(process.execPath, [entry, '127.0.0.1:1'], {
      cwd: opts.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`host did not start: ${output}`));
      }, HOST_START_MS);
      child.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        const m = /^(\d+)\n/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.stderr!.on('data', (d: Buffer) => {
        output += d.toString();
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`host exited (${code}): ${output}`));
      });
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const host = new ProviderHost(child, client);
    host.output = output;
    child.stdout!.on('data', (d: Buffer) => {
      host.output += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      host.output += d.toString();
    });
    child.removeAllListeners('exit');
    await host.configure();
    return host;
  }

  /** Everything the host printed (shown to users by `pulumi up`). */
  get logs(): string {
    return this.output;
  }

  /**
   * Waits until the output printed after `from` (an earlier `logs.length`) contains `text`:
   * what the host prints reaches us on its own pipe, possibly after the RPC's reply.
   */
  async waitForLog(text: string, from = 0, timeoutMs = 10000): Promise<string> {
    const end = Date.now() + timeoutMs;
    while (!this.output.slice(from).includes(text)) {
      if (Date.now() > end)
        throw new Error(`the host did not print ${JSON.stringify(text)}; it printed: ${this.output.slice(from)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.output.slice(from);
  }

  private rpc(method: string, req: any): Promise<any> {
    return new Promise((resolve, reject) => {
      this.client[method](req, { deadline: Date.now() + 20000 }, (err: any, resp: any) =>
        err ? reject(err) : resolve(resp),
      );
    });
  }

  private async configure(): Promise<void> {
    const req = new provproto.ConfigureRequest();
    req.setArgs(struct({}));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    const resp = await this.rpc('configure', req);
    if (resp.getAcceptsecrets())
      throw new Error('the host accepts secrets: the harness strips them as for a host that does not');
  }

  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const resp = await this.rpc('check', req);
    return {
      inputs: resp.getInputs().toJavaScript(),
      failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(
    id: string,
    urn: string,
    olds: Props,
    news: Props,
    oldInputs: Props,
  ): Promise<{ changes: 'unknown' | 'none' | 'some'; replaces: string[] }> {
    const req = new provproto.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    req.setOldInputs(struct(oldInputs));
    const resp = await this.rpc('diff', req);
    const changes = (['unknown', 'none', 'some'] as const)[resp.getChanges()];
    return { changes, replaces: resp.getReplacesList() };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(struct(properties));
    const resp = await this.rpc('create', req);
    return { id: resp.getId(), properties: resp.getProperties().toJavaScript() };
  }

  async update(id: string, urn: string, olds: Props, news: Props, oldInputs: Props): Promise<Props> {
    const req = new provproto.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    req.setOldInputs(struct(oldInputs));
    const resp = await this.rpc('update', req);
    return resp.getProperties().toJavaScript();
  }

  async read(
    id: string,
    urn: string,
    properties: Props,
    inputs: Props,
  ): Promise<{ id: string; properties: Props; inputs?: Props }> {
    const req = new provproto.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(struct(properties));
    req.setInputs(struct(inputs));
    const resp = await this.rpc('read', req);
    return {
      id: resp.getId(),
      properties: resp.getProperties().toJavaScript(),
      inputs: resp.getInputs()?.toJavaScript(),
    };
  }

  async delete(id: string, urn: string, properties: Props, oldInputs: Props): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(struct(properties));
    req.setOldInputs(struct(oldInputs));
    await this.rpc('delete', req);
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

export type StepKind = 'create' | 'same' | 'update' | 'failed';

export interface ResourceState {
  id: string;
  inputs: Props;
  outputs: Props;
  /** Output names the engine would store and return as secrets. */
  secretOutputs: Set<string>;
}

/**
 * One resource's life under the engine's rules (pkg/resource/deploy/step_generator.go):
 * up = Check, then Create (no state) or Diff and Update/Same; preview stops before Create and
 * Update; Diff's DIFF_UNKNOWN falls back to comparing inputs; replacements are not expected
 * from this provider and fail the test. Secret-ness is re-applied to outputs as the engine does
 * for a provider that does not accept secrets: same-named secret inputs, plus
 * `additionalSecretOutputs`.
 */
export class Stack {
  state?: ResourceState;
  readonly urn: string;
  /** RPCs made, in order (to show e.g. that a no-op `up` never called Update). */
  readonly calls: string[] = [];

  constructor(readonly registration: Registration) {
    this.urn = `urn:pulumi:test::presign-test::${registration.type}::${registration.name}`;
  }

  private secretOutputs(outputs: Props): Set<string> {
    const s = new Set<string>();
    for (const k of Object.keys(outputs)) {
      if (this.registration.secretInputs.has(k) || this.registration.additionalSecretOutputs.includes(k)) s.add(k);
    }
    return s;
  }

  /** `pulumi up` (or `pulumi preview` with `preview: true`) with the program's inputs, optionally changed. */
  async up(
    host: ProviderHost,
    opts: { inputs?: Props; preview?: boolean } = {},
  ): Promise<{ step: StepKind; failures?: CheckFailure[] }> {
    const news = opts.inputs ?? this.registration.inputs;
    this.calls.push('check');
    const checked = await host.check(this.urn, this.state?.inputs ?? {}, news);
    if (checked.failures.length) return { step: 'failed', failures: checked.failures };
    const inputs = checked.inputs;
    if (!this.state) {
      if (opts.preview) return { step: 'create' };
      this.calls.push('create');
      const created = await host.create(this.urn, inputs);
      if (!created.id) throw new Error('Create returned an empty id (an engine error)');
      this.state = {
        id: created.id,
        inputs,
        outputs: created.properties,
        secretOutputs: this.secretOutputs(created.properties),
      };
      return { step: 'create' };
    }
    this.calls.push('diff');
    const d = await host.diff(this.state.id, this.urn, this.state.outputs, inputs, this.state.inputs);
    if (d.replaces.length) throw new Error(`unexpected replacement of ${d.replaces.join(', ')}`);
    let changed = d.changes === 'some';
    if (d.changes === 'unknown') changed = JSON.stringify(this.state.inputs) !== JSON.stringify(inputs);
    if (opts.preview) return { step: changed ? 'update' : 'same' };
    if (!changed) {
      this.state = { ...this.state, inputs };
      return { step: 'same' };
    }
    this.calls.push('update');
    const outputs = await host.update(this.state.id, this.urn, this.state.outputs, inputs, this.state.inputs);
    this.state = { id: this.state.id, inputs, outputs, secretOutputs: this.secretOutputs(outputs) };
    return { step: 'update' };
  }

  /** `pulumi refresh`. */
  async refresh(host: ProviderHost): Promise<void> {
    if (!this.state) throw new Error('nothing to refresh');
    this.calls.push('read');
    const r = await host.read(this.state.id, this.urn, this.state.outputs, this.state.inputs);
    this.state = { ...this.state, id: r.id, outputs: r.properties, secretOutputs: this.secretOutputs(r.properties) };
  }

  /** `pulumi destroy`. */
  async destroy(host: ProviderHost): Promise<void> {
    if (!this.state) throw new Error('nothing to destroy');
    this.calls.push('delete');
    await host.delete(this.state.id, this.urn, this.state.outputs, this.state.inputs);
    this.state = undefined;
  }
}
