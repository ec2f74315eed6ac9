import { CoalescingRunner } from './coalescingRunner';

describe('CoalescingRunner', () => {
  it('runs one pass at a time, and once more for all the asks that came during it', async () => {
    let release!: () => void;
    let passes = 0;
    const runner = new CoalescingRunner(async () => {
      passes++;
      if (passes === 1) {
        await new Promise<void>(resolve => {
          release = resolve;
        });
      }
    }, jest.fn());

    const first = runner.trigger();
    void runner.trigger();
    void runner.trigger();
    expect(passes).toBe(1);
    release();
    await first;
    await runner.idle();

    expect(passes).toBe(2);
  });

  it('reports a failed pass and keeps serving', async () => {
    const onError = jest.fn();
    let fail = true;
    const pass = jest.fn(async () => {
      if (fail) {
        fail = false;
        throw new Error('database unreachable');
      }
    });
    const runner = new CoalescingRunner(pass, onError);

    await runner.trigger();
    await runner.trigger();

    expect(onError).toHaveBeenCalledWith(new Error('database unreachable'));
    expect(pass).toHaveBeenCalledTimes(2);
  });
});
