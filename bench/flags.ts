// The bench's command line. Every choice that changes what is measured is a
// flag, so a subset can be rerun on its own and RESULTS.md can quote the
// exact command that produced it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const SUITES = ['small', 'large', 'mixed', 'wan', 'scale'] as const;
export type SuiteName = (typeof SUITES)[number];

export const CONTENDERS = ['relaysync', 'relaysync-e-ssh', 'tunnel', 'scp', 'two-step', 'direct'] as const;
export type ContenderId = (typeof CONTENDERS)[number];

export interface BenchFlags {
  readonly suites: readonly SuiteName[];
  readonly contenders: readonly ContenderId[];
  readonly rounds: number;
  /** One round of tiny datasets: proves the script works, measures nothing worth reading. */
  readonly smoke: boolean;
  /** Where RESULTS.md and results.json are written. */
  readonly out: string;
  /** Where generated datasets are kept between runs (the 8 GiB file takes a while to write). */
  readonly dataDir: string;
  /** Remove the generated datasets at the end instead of keeping them for the next run. */
  readonly dropData: boolean;
  /** When set, relaysync runs under `node --cpu-prof` and the profiles land here. */
  readonly profileDir: string | undefined;
}

// Compiled to dist/bench/, two levels below the package root.
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

const usage = `usage: npm run bench -- [options]

  --suites LIST       which measurements, comma-separated (default: all)
                      small  20,000 files of 0-64 KiB
                      large  3 files of 1 GiB
                      mixed  a mixed tree of about 500 MB
                      wan    the mixed tree over 40 ms RTT, 200 Mbit/s legs
                      scale  relaysync's peak RSS: 100k and 1M entries, 1 MiB and 8 GiB files
  --contenders LIST   ${CONTENDERS.join(',')} (default: all)
  --rounds N          rounds per measurement, each contender once per round (default 5)
  --smoke             one round of tiny datasets, to check that the bench works
  --out DIR           where RESULTS.md and results.json go (default: bench/)
  --data-dir DIR      dataset cache, kept between runs (default: /tmp/relaysync-bench-data)
  --drop-data         delete the dataset cache at the end
  --profile DIR       run relaysync under node --cpu-prof, profiles written to DIR
`;

export class UsageError extends Error {}

function list<T extends string>(value: string | undefined, allowed: readonly T[], what: string): readonly T[] {
  if (value === undefined) return allowed;
  const items = value.split(',').filter((item) => item !== '');
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new UsageError(`unknown ${what} "${item}"; choose from ${allowed.join(', ')}`);
    }
  }
  // Kept in the canonical order, so reports read the same whatever order was typed.
  return allowed.filter((item) => items.includes(item));
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      suites: { type: 'string' },
      contenders: { type: 'string' },
      rounds: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      'drop-data': { type: 'boolean', default: false },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
}

export function parseFlags(argv: readonly string[]): BenchFlags | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(argv));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const smoke = values.smoke!;
  const rounds = values.rounds === undefined ? (smoke ? 1 : 5) : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError(`--rounds must be a positive integer, not ${values.rounds}`);
  const suites = list(values.suites, SUITES, 'suite');
  const contenders = list(values.contenders, CONTENDERS, 'contender');
  if (suites.length === 0 || contenders.length === 0) throw new UsageError('nothing to measure');
  return {
    suites,
    contenders,
    rounds,
    smoke,
    out: path.resolve(values.out ?? path.join(packageRoot, 'bench')),
    dataDir: path.resolve(values['data-dir'] ?? '/tmp/relaysync-bench-data'),
    dropData: values['drop-data']!,
    profileDir: values.profile === undefined ? undefined : path.resolve(values.profile),
  };
}

export { usage, packageRoot };
