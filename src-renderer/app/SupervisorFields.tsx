import { Input, type InputRef } from 'antd';
import { useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from './fields';

const CODE = /^[A-Za-z0-9]{1,20}$/;
const PIN = /^\d{4,12}$/;

/** A clerk / supervisor code as the login takes it (letters and digits, at most 20). */
export const isClerkCode = (code: string) => CODE.test(code);
export const isPin = (pin: string) => PIN.test(pin);

export interface SupervisorCredentials {
  supervisorCode: string;
  supervisorPin: string;
}

/** The supervisor code (trimmed) and PIN to send, or null while either is not well-formed. */
export function supervisorCredentials(code: string, pin: string): SupervisorCredentials | null {
  const c = code.trim();
  return isClerkCode(c) && isPin(pin) ? { supervisorCode: c, supervisorPin: pin } : null;
}

/** The state of one approval's supervisor code + PIN; `fields` are the props of SupervisorFields. */
export function useSupervisor(initialCode = '') {
  const [code, setCode] = useState(initialCode);
  const [pin, setPin] = useState('');
  return {
    code,
    pin,
    setPin,
    fields: { code, pin, onCode: setCode, onPin: setPin },
    credentials: () => supervisorCredentials(code, pin),
    clear() {
      setCode('');
      setPin('');
    },
  };
}

export interface SupervisorFieldsProps {
  code: string;
  pin: string;
  onCode: (value: string) => void;
  onPin: (value: string) => void;
  /** Ref of the code input (the first field), e.g. to focus it when the form opens. */
  firstFieldRef?: Ref<InputRef>;
  /** Ref of the PIN input, e.g. to focus it again after a wrong PIN. */
  pinRef?: Ref<InputRef>;
  autoFocus?: boolean;
  size?: 'small' | 'middle' | 'large';
  /** Input names; the e2e tests and focus helpers find the fields by them. */
  names?: { code: string; pin: string };
  /** Label of the code field when the form asks several supervisors (default: 主管工号). */
  codeLabel?: string;
  /** Class of each `<label>`; `field` unless the page lays its labels out itself. */
  fieldClass?: string;
}

/** The supervisor code + PIN pair every approval form asks for (Tab goes code → PIN). */
export function SupervisorFields({
  code,
  pin,
  onCode,
  onPin,
  firstFieldRef,
  pinRef,
  autoFocus,
  size,
  names = { code: 'supervisorCode', pin: 'supervisorPin' },
  codeLabel,
  fieldClass = 'field',
}: SupervisorFieldsProps) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        ref={firstFieldRef}
        fieldClass={fieldClass}
        label={codeLabel ?? t('common.supervisorCode')}
        name={names.code}
        size={size}
        autoFocus={autoFocus}
        autoComplete="off"
        value={code}
        onValue={onCode}
      />
      <label className={fieldClass || undefined}>
        <span>{t('common.supervisorPin')}</span>
        <Input.Password
          ref={pinRef}
          name={names.pin}
          size={size}
          autoComplete="off"
          inputMode="numeric"
          visibilityToggle={false} // no eye button as a Tab stop: Tab goes PIN → the next field
          value={pin}
          onChange={(e) => onPin(e.target.value)}
        />
      </label>
    </>
  );
}
