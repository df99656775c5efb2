import assert from 'node:assert/strict';
import { LIMITS, validateAlias, validateArtifactPath, validateKeyName, validateLogBatch, validatePromptName } from '../../../src/core/tracking/validation';
import { TrackingError } from '../../../src/core/tracking/types';

const invalid = (fn: () => unknown, re?: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof TrackingError && e.code === 'INVALID_PARAMETER_VALUE' && (!re || re.test(e.message)));

describe('tracking key/value validation (MLflow rules)', function () {
  it('accepts alphanumerics, _ - . space / and :', function () {
    for (const ok of ['acc', 'latency_ms/p95', 'a.b-c d', 'mlflow.source.git.commit', 'x:y', 'quality/mean']) validateKeyName('Metric name', ok);
  });
  it('refuses other characters, path tricks and over-long keys', function () {
    invalid(() => validateKeyName('Param key', 'bad*key'), /alphanumerics/);
    invalid(() => validateKeyName('Param key', '../up'), /resolve/);
    invalid(() => validateKeyName('Param key', 'a//b'), /resolve to 'a\/b'/);
    invalid(() => validateKeyName('Param key', '/abs'));
    invalid(() => validateKeyName('Param key', 'a/./b'));
    invalid(() => validateKeyName('Param key', 'trailing/'));
    invalid(() => validateKeyName('Param key', ''));
    invalid(() => validateKeyName('Param key', 'k'.repeat(LIMITS.maxEntityKeyLength + 1)), /limit is 250/);
  });
  it('limits param values to 6000 and tag values to 8000 characters', function () {
    validateLogBatch({ params: [{ key: 'p', value: 'x'.repeat(6000) }], tags: [{ key: 't', value: 'x'.repeat(8000) }] });
    invalid(() => validateLogBatch({ params: [{ key: 'p', value: 'x'.repeat(6001) }] }), /6000/);
    invalid(() => validateLogBatch({ tags: [{ key: 't', value: 'x'.repeat(8001) }] }), /8000/);
  });
  it('checks metric values, timestamps and steps, and conflicting params in one batch', function () {
    invalid(() => validateLogBatch({ metrics: [{ key: 'm', value: 'x' as unknown as number, timestamp: 0, step: 0 }] }));
    invalid(() => validateLogBatch({ metrics: [{ key: 'm', value: 1, timestamp: -1, step: 0 }] }));
    invalid(() => validateLogBatch({ metrics: [{ key: 'm', value: 1, timestamp: 0, step: 0.5 }] }));
    validateLogBatch({ metrics: [{ key: 'm', value: NaN, timestamp: 0, step: 0 }], params: [{ key: 'p', value: '1' }, { key: 'p', value: '1' }] });
    invalid(() => validateLogBatch({ params: [{ key: 'p', value: '1' }, { key: 'p', value: '2' }] }), /twice/);
  });
  it('applies the alias rules', function () {
    for (const ok of ['production', 'champion_2-b', 'V', 'v1a']) validateAlias(ok);
    invalid(() => validateAlias('latest'), /reserved/);
    invalid(() => validateAlias('Latest'), /reserved/);
    invalid(() => validateAlias('v3'), /reserved/);
    invalid(() => validateAlias('V12'), /reserved/);
    invalid(() => validateAlias('a.b'), /alphanumerics/);
    invalid(() => validateAlias('has space'));
    invalid(() => validateAlias(''));
  });
  it('applies the prompt name rule', function () {
    validatePromptName('summarize.v2_x-y');
    invalid(() => validatePromptName('has space'));
    invalid(() => validatePromptName('a/b'));
  });
  it('normalises artifact paths and refuses escapes', function () {
    assert.equal(validateArtifactPath('./a//b/./c.txt'), 'a/b/c.txt');
    assert.equal(validateArtifactPath('a\\b.txt'), 'a/b.txt');
    assert.equal(validateArtifactPath('', true), '');
    invalid(() => validateArtifactPath('../x'));
    invalid(() => validateArtifactPath('a/../../x'));
    invalid(() => validateArtifactPath('/etc/passwd'));
    invalid(() => validateArtifactPath('C:/x'));
    invalid(() => validateArtifactPath(''));
  });
});
