// How the operator's screen dials a number. Today a `tel:` link, which the operator's phone, softphone or desk
// phone integration opens; a softphone in the browser (SIP over WebRTC) would implement the same interface.

export interface Dialer {
  /** The link the number is shown as. */
  href(e164: string): string;
  /** Called when the number is revealed: a softphone would start the call here. */
  dial(e164: string): void;
}

/** The default: the number is a `tel:` link the operator follows; nothing is dialled on its own. */
export const telLink: Dialer = {
  href: (e164) => `tel:${e164}`,
  dial: () => {},
};
