/** Milliseconds since the epoch; injected so tests choose the time. */
export type Clock = () => number

export const systemClock: Clock = () => Date.now()
