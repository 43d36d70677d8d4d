export const helper = (): number => 1;
