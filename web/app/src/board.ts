/** The job board's variables: the same in its early ask (early.ts) and its own, or the early answer would not fit. */
export const BOARD_VARIABLES = { first: 50 };
