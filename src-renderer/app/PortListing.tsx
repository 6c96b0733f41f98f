import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

export interface ListedPort {
  path: string;
  label: string;
}

/**
 * The serial ports the PC lists, for a device settings screen (card terminal, pole display): the
 * `<datalist>` the port input names with `list={id}`, and a line of buttons that put a port in it.
 * A virtual port (a pty) is never listed: it is typed.
 */
export function PortListing({
  id,
  ports,
  onPick,
  testId,
}: {
  id: string;
  ports: ListedPort[];
  onPick(path: string): void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <datalist id={id}>
        {ports.map((p) => (
          <option key={p.path} value={p.path}>
            {p.label}
          </option>
        ))}
      </datalist>
      <div className="port-listing" data-testid={testId}>
        {t('card.settings.portsListed')}：
        {ports.length === 0
          ? t('card.settings.noPorts')
          : ports.map((p) => (
              <Button
                key={p.path}
                size="small"
                type="link"
                className="mono"
                title={p.label}
                onClick={() => onPick(p.path)}
              >
                {p.path}
              </Button>
            ))}
      </div>
    </>
  );
}
