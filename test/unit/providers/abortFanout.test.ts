import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { onAbort } from '../../../src/core/providers/abortFanout';

describe('abort fan-out (one listener per signal for every call in flight)', () => {
  it('calls each callback that is still joined once, keeps one listener on the signal, and calls at once on an aborted signal', () => {
    const c = new AbortController();
    const called: number[] = [];
    const leave = Array.from({ length: 300 }, (_, k) => onAbort(c.signal, () => called.push(k)));
    assert.equal(getEventListeners(c.signal, 'abort').length, 1, 'one listener, however many join');
    for (let k = 0; k < 300; k += 2) leave[k]();
    c.abort();
    c.abort();
    assert.deepEqual(called, Array.from({ length: 150 }, (_, k) => 2 * k + 1), 'the ones that left are not called, the others once');
    let late = 0;
    onAbort(c.signal, () => late++);
    assert.equal(late, 1, 'an aborted signal calls at once');
  });
});
