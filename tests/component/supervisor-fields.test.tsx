// @vitest-environment happy-dom
// Keyboard-first approvals: Tab goes supervisor code → PIN → the next control, with no show-PIN
// button in between (issue 21, keyboard gaps).
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it } from 'vitest';
import { SupervisorFields, useSupervisor } from '../../src-renderer/app/SupervisorFields';
import { renderScreen } from '../support/render';

afterEach(cleanup);

function Approval() {
  const supervisor = useSupervisor();
  return (
    <form>
      <SupervisorFields {...supervisor.fields} />
      <button type="submit">确认</button>
    </form>
  );
}

it('Tab goes code → PIN → confirm', async () => {
  const user = userEvent.setup();
  const { container } = renderScreen(<Approval />);
  const code = container.querySelector<HTMLInputElement>('input[name="supervisorCode"]')!;
  code.focus();
  await user.keyboard('9001');
  await user.tab();
  expect(document.activeElement?.getAttribute('name')).toBe('supervisorPin');
  await user.keyboard('888888');
  await user.tab();
  expect(document.activeElement).toBe(screen.getByRole('button', { name: '确认' }));
});
