import { describe, expect, it } from 'vitest';
import { NewestWins } from './newest-wins';

describe('NewestWins', () => {
  it('drops an answer that comes back after a newer one was shown', () => {
    const order = new NewestWins();
    const first = order.ask();
    const second = order.ask();
    expect(order.show(second)).toBe(true);
    expect(order.show(first)).toBe(false);
  });

  it('shows answers that come back in order, and a newer one after an older', () => {
    const order = new NewestWins();
    const first = order.ask();
    const second = order.ask();
    expect(order.show(first)).toBe(true);
    expect(order.show(second)).toBe(true);
    expect(order.show(second)).toBe(false);
  });
});
