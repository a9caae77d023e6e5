// Measures whether a call leaves the JavaScript thread free.

/**
 * Runs `call()` while a 1 ms timer ticks; returns its result and how many
 * times the timer ran before the call settled. A call that blocked the
 * JavaScript thread would see none.
 */
export async function ticking(call) {
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  try {
    const started = performance.now()
    const result = await call()
    return { result, ticks, ms: performance.now() - started }
  } finally {
    clearInterval(timer)
  }
}
