/**
 * The COS regions this toolkit knows, in one place: host building (old-style hosts, aliases),
 * `inspect`, and the "did you mean" warning for unknown regions all read them from here.
 * New regions appear, so an unknown region is a warning, never a refusal.
 */

/** Public regions as named in Tencent Cloud's "Regions and Access Endpoints" page. */
export const COS_REGIONS: readonly string[] = [
  'ap-beijing-1',
  'ap-beijing',
  'ap-nanjing',
  'ap-shanghai',
  'ap-guangzhou',
  'ap-chengdu',
  'ap-chongqing',
  'ap-shenzhen-fsi',
  'ap-shanghai-fsi',
  'ap-beijing-fsi',
  'ap-hongkong',
  'ap-singapore',
  'ap-mumbai',
  'ap-jakarta',
  'ap-seoul',
  'ap-bangkok',
  'ap-tokyo',
  'na-siliconvalley',
  'na-ashburn',
  'na-toronto',
  'sa-saopaulo',
  'eu-frankfurt',
  'eu-moscow',
];

/** Regions older than the `cos.<region>` naming (COS Python SDK `format_region`): `<bucket>.<region>.myqcloud.com`. */
export const COS_OLD_REGIONS: ReadonlySet<string> = new Set([
  'cn-north',
  'cn-south',
  'cn-south-2',
  'cn-east',
  'cn-southwest',
  'sg',
]);

/** JSON API v4 region aliases the Python SDK still maps. */
export const COS_REGION_ALIASES: Readonly<Record<string, string>> = {
  cossh: 'ap-shanghai',
  cosgz: 'ap-guangzhou',
  cosbj: 'ap-beijing',
  costj: 'ap-beijing-1',
  coscd: 'ap-chengdu',
  cossgp: 'ap-singapore',
  coshk: 'ap-hongkong',
  cosca: 'na-toronto',
  cosger: 'eu-frankfurt',
};

/** Volcengine TOS regions, to tell a user who picked the wrong provider. */
const TOS_REGIONS: ReadonlySet<string> = new Set([
  'cn-beijing',
  'cn-shanghai',
  'cn-guangzhou',
  'cn-hongkong',
  'cn-beijing2',
  'ap-southeast-1',
  'ap-southeast-3',
]);

const AWS_REGION =
  /^(?:us-gov|us|eu|ap|ca|sa|me|af|il|mx|cn)-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d+$/;

/** Optimal string alignment distance: edits, with a swap of two neighbours counting as one. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Every region name that builds a host: current, old-style and aliases. */
export function isKnownCosRegion(region: string): boolean {
  return COS_REGIONS.includes(region) || COS_OLD_REGIONS.has(region) || region in COS_REGION_ALIASES;
}

/**
 * A warning for a region COS is not known to have, with the closest known one ("did you mean")
 * or the provider the region belongs to. Undefined for a known region.
 */
export function cosRegionWarning(region: string): string | undefined {
  if (isKnownCosRegion(region)) return undefined;
  const head = `region ${JSON.stringify(region)} is not a COS region this toolkit knows, so the URL may point at a host that does not exist`;
  if (TOS_REGIONS.has(region))
    return `${head}; it is a Volcengine TOS region: set provider "tos" for TOS, or use a COS region such as ${closest(region) ?? 'ap-beijing'}`;
  if (AWS_REGION.test(region))
    return `${head}; it looks like an AWS region: set provider "s3" for S3 or an S3-compatible service`;
  const guess = closest(region);
  return guess ? `${head}; did you mean ${guess}?` : `${head}; known regions: ${COS_REGIONS.join(', ')}`;
}

function closest(region: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of [...COS_REGIONS, ...COS_OLD_REGIONS]) {
    const dist = editDistance(region, known);
    if (dist < bestDistance) [best, bestDistance] = [known, dist];
  }
  // A third of the name may be wrong: catches typos and swapped letters, not unrelated names.
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(region.length / 3)) ? best : undefined;
}
