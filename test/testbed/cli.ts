// npm run testbed:up [-- --scenario seed-000|seed-000+metrics|broken|scale-N|scale-large]   bring a scenario up (idempotent), print the kubeconfig
//   [--liqo-namespace liqo-system]                              install the (forged or live) Liqo there, not in `liqo`
// npm run testbed:up -- --scenario live [--peered|--federated] [--liqo v1.2.0] [--liqo-namespace liqo-system]
//                                                               Liqo's own control plane on three clusters
//                                                               (--peered: real liqoctl peer + offload to seed 000)
// npm run testbed:down                                          stop every test bed process, remove .testbed/
// npx node test/testbed/cli.ts status                           what is running
// Progress goes to stderr; the kubeconfig path is the last line on stdout.
import { DEFAULT_LIQO_VERSION, liveName } from './scenarios/live.ts';
import { abortTestbed, currentTestbed, ensureTestbed, teardownTestbed, type ScenarioName } from './index.ts';

function usage(): never {
  process.stderr.write('usage: cli.ts up [--scenario seed-000|seed-000+metrics|broken|scale-N|scale-large] [--liqo-namespace NS] | up --scenario live [--peered|--federated] [--liqo v1.0.1|v1.2.0] [--liqo-namespace NS] | down | status\n');
  process.exit(2);
}

function scenarioArg(args: string[]): ScenarioName {
  let scenario = process.env.LIQO_TESTBED_SCENARIO ?? 'seed-000';
  let liqoNamespace: string | undefined;
  let peered = false;
  let federated = false;
  let liqo: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--scenario' || a === '-s') scenario = args[++i] ?? usage();
    else if (a.startsWith('--scenario=')) scenario = a.slice('--scenario='.length);
    else if (a === '--liqo-namespace') liqoNamespace = args[++i] ?? usage();
    else if (a.startsWith('--liqo-namespace=')) liqoNamespace = a.slice('--liqo-namespace='.length);
    else if (a === '--peered') peered = true;
    else if (a === '--federated') federated = true;
    else if (a === '--liqo') liqo = args[++i] ?? usage();
    else if (a.startsWith('--liqo=')) liqo = a.slice('--liqo='.length);
    else usage();
  }
  if (scenario === 'live') return liveName({ peered: peered || federated, ...(federated ? { federated: true as const } : {}), liqoVersion: liqo ?? DEFAULT_LIQO_VERSION, ...(liqoNamespace ? { liqoNamespace } : {}) }) as ScenarioName;
  if (peered || federated || liqo) {
    process.stderr.write(`--peered, --federated and --liqo apply to the live scenario only (not '${scenario}')\n`);
    process.exit(2);
  }
  return (liqoNamespace ? `${scenario}@${liqoNamespace}` : scenario) as ScenarioName;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'up': {
      const scenario = scenarioArg(rest);
      const started = Date.now();
      // An interrupted `up` must not leave processes behind: stop what was started, then exit.
      let stopping = false;
      const onSignal = (sig: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`[testbed] ${sig}: stopping the test bed\n`);
        void abortTestbed().finally(() => process.exit(130));
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const tb = await ensureTestbed(scenario);
      process.stderr.write(
        `[testbed] ${scenario} up in ${((Date.now() - started) / 1000).toFixed(1)} s; contexts: ${tb.contexts.join(', ')}\n` +
          `[testbed] try: ${tb.kubectl} --kubeconfig ${tb.kubeconfig} get nodes\n`,
      );
      process.stdout.write(`${tb.kubeconfig}\n`);
      return;
    }
    case 'down': {
      if (rest.length > 0) usage();
      const tb = currentTestbed();
      await teardownTestbed();
      process.stderr.write(tb ? `[testbed] stopped ${tb.scenario} and removed ${tb.stateDir}\n` : '[testbed] nothing was running; cleaned up\n');
      return;
    }
    case 'status': {
      const tb = currentTestbed();
      process.stdout.write(tb ? `${JSON.stringify(tb, null, 2)}\n` : 'no test bed\n');
      return;
    }
    default:
      usage();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`[testbed] error: ${err.message}\n`);
  process.exit(1);
});
