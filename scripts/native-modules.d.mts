export function nativeModulesLoad(
  runtime: string,
  root: string,
  options?: { asElectron?: boolean },
): { ok: boolean; why: string };
export function nativeModulesInstalled(root: string): boolean;
