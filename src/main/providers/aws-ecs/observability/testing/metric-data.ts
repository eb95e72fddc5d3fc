// Answers GetMetricData the way CloudWatch does for an ECS service with Container Insights: each
// SEARCH over TaskId finds one series per task (labelled by its dynamic label), metric stats find the
// service's series, and no call returns more than 100,800 points (the rest after NextToken).
import type {
  GetMetricDataCommandInput,
  GetMetricDataCommandOutput,
  MetricDataResult,
} from '@aws-sdk/client-cloudwatch';

/** GetMetricData's documented ceiling of points in one answer. */
export const POINTS_PER_CALL = 100_800;

export function answerLikeCloudWatch(
  input: GetMetricDataCommandInput,
  tasks: readonly string[],
): Partial<GetMetricDataCommandOutput> {
  const start = input.StartTime instanceof Date ? input.StartTime.getTime() : Date.parse(String(input.StartTime));
  const end = input.EndTime instanceof Date ? input.EndTime.getTime() : Date.parse(String(input.EndTime));
  const all: MetricDataResult[] = [];
  for (const query of input.MetricDataQueries ?? []) {
    const period = query.MetricStat?.Period ?? Number(/,\s*(\d+)\)$/.exec(query.Expression ?? '')?.[1] ?? 60);
    const times: Date[] = [];
    for (let t = Math.ceil(start / (period * 1000)) * period * 1000; t < end; t += period * 1000)
      times.push(new Date(t));
    const series = (label: string, base: number): MetricDataResult => ({
      Id: query.Id,
      Label: label,
      Timestamps: times,
      Values: times.map((_, i) => base + (i % 10)),
      StatusCode: 'Complete',
    });
    if (query.Expression?.startsWith('SEARCH(')) tasks.forEach((task, i) => all.push(series(task, 20 + i)));
    else all.push(series(query.Id ?? '', 50));
  }
  // Flatten to points, cut at the ceiling, and resume after the token.
  const offset = Number(input.NextToken ?? 0);
  const results: MetricDataResult[] = [];
  let seen = 0;
  let taken = 0;
  let next: number | undefined;
  for (const result of all) {
    const count = result.Values?.length ?? 0;
    const from = Math.max(0, offset - seen);
    seen += count;
    if (from >= count) continue;
    const room = POINTS_PER_CALL - taken;
    if (room <= 0) {
      next ??= seen - count + from;
      continue;
    }
    const to = Math.min(count, from + room);
    results.push({
      ...result,
      Timestamps: result.Timestamps?.slice(from, to) ?? [],
      Values: result.Values?.slice(from, to) ?? [],
      StatusCode: to < count ? 'PartialData' : 'Complete',
    });
    taken += to - from;
    if (to < count) next = seen - count + to;
  }
  return { MetricDataResults: results, ...(next === undefined ? {} : { NextToken: String(next) }) };
}
