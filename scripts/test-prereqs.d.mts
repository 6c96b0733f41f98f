export interface MachineProbe {
  env: Record<string, string | undefined>;
  onPath: (name: string) => boolean;
  cjkFonts: boolean;
  pgInstalled: boolean;
  pgExternal: boolean;
}
export interface Need {
  what: string;
  apt: string[];
  present: (probe: MachineProbe) => boolean;
}
export const NEEDS: Need[];
export function missingPackages(probe: MachineProbe): { missing: Need[]; packages: string[] };
export function fixCommand(packages: string[], pgVersion: string | null): string;
export function isLocalPg(url: string): boolean;
