// Records what the page writes to the console (Converse logs through console.*), uncaught errors
// and unhandled rejections, for the report the probe sends to the test.
(() => {
    const record = [];
    window.e2eConsole = record;

    const text = (value) => {
        if (value instanceof Element) return value.outerHTML;
        // Converse logs the stanzas it builds (Strophe builders) as they are, not as elements.
        if (typeof value?.tree === 'function') return value.tree().outerHTML;
        if (value instanceof Error) return `${value.name}: ${value.message}`;
        if (typeof value === 'object') {
            try {
                return JSON.stringify(value);
            } catch {
                return String(value);
            }
        }
        return String(value);
    };

    for (const level of ['debug', 'info', 'log', 'warn', 'error']) {
        const original = console[level].bind(console);
        console[level] = (...args) => {
            record.push({ level, text: args.map(text).join(' ') });
            original(...args);
        };
    }

    window.addEventListener('error', (e) => record.push({ level: 'error', text: `uncaught: ${e.message}` }));
    window.addEventListener('unhandledrejection', (e) => record.push({ level: 'error', text: `unhandled rejection: ${text(e.reason)}` }));
})();
