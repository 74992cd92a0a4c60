/**
 * Asynchronous successive halving (ASHA), in its stopping form: trials train side by side, and
 * at each rung (minEpochs, minEpochs·η, minEpochs·η², … epochs) a trial goes on only while its
 * dev loss there is within the best 1/η of the losses recorded at that rung so far, itself
 * included; otherwise it stops, so a budget of 30 trials costs far less than 30 full runs.
 * The first trials to reach a rung have little to compare with: as in Optuna's
 * SuccessiveHalvingPruner, a trial then goes on only if it is the best there yet.
 */
import type { HalvingSpec } from '../graph/document';

/** The rung epochs below `maxEpochs` (a trial that reaches maxEpochs is simply done). */
export function rungEpochs(halving: HalvingSpec, maxEpochs: number): number[] {
  if (!halving.enabled) return [];
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const epoch = Math.round(halving.minEpochs * Math.pow(halving.reduction, k));
    if (epoch >= maxEpochs) break;
    if (out.at(-1) !== epoch) out.push(epoch);
    if (k > 64) break;
  }
  return out;
}

/** What a trial does at a rung. */
export type RungDecision = 'continue' | 'stop';

/** The losses recorded at each rung, and the decision for each newcomer. */
export class HalvingRungs {
  private readonly recorded = new Map<number, number[]>();
  private readonly rungs: ReadonlySet<number>;

  constructor(
    rungs: readonly number[],
    private readonly reduction: number,
  ) {
    this.rungs = new Set(rungs);
  }

  isRung(epoch: number): boolean {
    return this.rungs.has(epoch);
  }

  /**
   * Records a trial's loss at the rung `epoch` and decides: it continues when its loss is at most
   * the k-th smallest of the n recorded there (itself included), k = max(1, ⌊n/η⌋). A loss that
   * is not finite (a diverged trial) always stops. Epochs that are not rungs always continue.
   */
  decide(epoch: number, loss: number): RungDecision {
    if (!this.rungs.has(epoch)) return 'continue';
    if (!Number.isFinite(loss)) return 'stop';
    const values = this.recorded.get(epoch) ?? [];
    values.push(loss);
    this.recorded.set(epoch, values);
    const sorted = [...values].sort((a, b) => a - b);
    const k = Math.max(1, Math.floor(sorted.length / this.reduction));
    return loss <= sorted[k - 1]! ? 'continue' : 'stop';
  }

  /** The losses recorded at a rung so far, in arrival order. */
  at(epoch: number): readonly number[] {
    return this.recorded.get(epoch) ?? [];
  }
}
