import { afterEach, describe, expect, it } from 'vitest';
import { checkWire, type WireProposal } from '../../../engine/graph/wireCheck';
import { nodeId } from '../../../engine/graph/document';
import { createI18n, i18n } from '../../../renderer/i18n';
import { paramSummary } from '../../../renderer/canvas/paramSummary';
import { refusalWords } from '../../../renderer/canvas/wireRefusal';
import { chain, ONEHOT, SURNAME_CNN } from '../graph/fixtures';

const wire = (source: string, target: string): WireProposal => ({ source: nodeId(source), sourcePort: 'out', target: nodeId(target), targetPort: 'in' });

describe('the canvas words', () => {
  afterEach(() => void i18n.changeLanguage('en'));

  it('summarise a node in the language chosen, English as it was', async () => {
    await i18n.changeLanguage('en');
    expect(paramSummary('Conv1D', { filters: 256, kernelSize: 3, strides: 2, activation: 'elu' })).toBe('256 filters · k3 · s2 · elu');
    expect(paramSummary('Dense', { units: 1, activation: 'relu' })).toBe('1 unit · relu');
    expect(paramSummary('LSTM', { units: 64, bidirectional: true, returnSequences: false })).toBe('64 units · bidirectional · last step');
    await i18n.changeLanguage('ko');
    expect(paramSummary('Conv1D', { filters: 256, kernelSize: 3, strides: 2, activation: 'elu' })).toBe('필터 256개 · k3 · s2 · elu');
    expect(paramSummary('Dropout', { rate: 0.5 })).toBe('비율 0.5');
    expect(paramSummary('LSTM', { units: 64, bidirectional: true, returnSequences: true })).toBe('유닛 64개 · 양방향 · 시퀀스 전체');
  });

  it('word a wire refused for its shapes by validation’s key, in Korean as well as English', () => {
    const g = chain(SURNAME_CNN);
    const open = { ...g, edges: g.edges.filter((e) => e.target !== 'n6') };
    const refusal = checkWire(open, ONEHOT, wire('n4', 'n6'));
    expect(refusal?.code).toBe('shape');
    expect(refusal?.issue?.key).toBeDefined();
    const en = refusalWords(refusal!, createI18n('en').t);
    expect(en.text).toBe(refusal!.message); // English reads as the engine wrote it.
    const ko = refusalWords(refusal!, createI18n('ko').t);
    expect(ko.text).not.toBe(refusal!.message);
    expect(ko.text).toMatch(/[가-힣]/);
  });
});
