/** The system browser to use, or undefined for Playwright's own. */
export declare function systemChromium(): string | undefined;
