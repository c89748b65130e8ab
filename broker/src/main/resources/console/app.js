// The console's shell: the one global `Sluice` (see the contract in each page script's use of it), hash routing,
// sign-in and SigV4 signing of every REST call, and the small DOM helpers the pages share. Plain modern JS with
// no build step and nothing fetched from elsewhere. Text always enters the page as text nodes, never as markup.
'use strict';

const Sluice = (() => {
    // ---- SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104), so that signing works on any origin: WebCrypto exists
    // only in secure contexts (https, localhost), and an operator may open http://db-1:9324/console/.

    /** The first 32 bits of the fractional parts of the roots of the first primes (FIPS 180-4, 4.2.2 and 5.3.3). */
    const ROUND_CONSTANTS = new Uint32Array(64);
    const INITIAL_HASH = new Uint32Array(8);
    (() => {
        const fraction32 = x => Math.floor((x - Math.floor(x)) * 4294967296) >>> 0;
        let found = 0;
        for (let candidate = 2; found < 64; candidate++) {
            let prime = true;
            for (let divisor = 2; divisor * divisor <= candidate; divisor++) {
                if (candidate % divisor === 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                if (found < 8) {
                    INITIAL_HASH[found] = fraction32(Math.sqrt(candidate));
                }
                ROUND_CONSTANTS[found++] = fraction32(Math.cbrt(candidate));
            }
        }
    })();

    const rotateRight = (x, n) => (x >>> n) | (x << (32 - n));

    /** SHA-256 of bytes (a Uint8Array), as 32 bytes. */
    function sha256(data) {
        const hash = Uint32Array.from(INITIAL_HASH);
        const padded = new Uint8Array(((data.length + 9 + 63) >> 6) << 6);
        padded.set(data);
        padded[data.length] = 0x80;
        const view = new DataView(padded.buffer);
        const bits = data.length * 8;
        view.setUint32(padded.length - 8, Math.floor(bits / 4294967296));
        view.setUint32(padded.length - 4, bits >>> 0);
        const w = new Uint32Array(64);
        for (let block = 0; block < padded.length; block += 64) {
            for (let i = 0; i < 16; i++) {
                w[i] = view.getUint32(block + i * 4);
            }
            for (let i = 16; i < 64; i++) {
                const s0 = rotateRight(w[i - 15], 7) ^ rotateRight(w[i - 15], 18) ^ (w[i - 15] >>> 3);
                const s1 = rotateRight(w[i - 2], 17) ^ rotateRight(w[i - 2], 19) ^ (w[i - 2] >>> 10);
                w[i] = w[i - 16] + s0 + w[i - 7] + s1;
            }
            let [a, b, c, d, e, f, g, h] = hash;
            for (let i = 0; i < 64; i++) {
                const t1 = (h + (rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)) + ((e & f) ^ (~e & g))
                    + ROUND_CONSTANTS[i] + w[i]) | 0;
                const t2 = ((rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
                h = g;
                g = f;
                f = e;
                e = (d + t1) | 0;
                d = c;
                c = b;
                b = a;
                a = (t1 + t2) | 0;
            }
            hash[0] += a;
            hash[1] += b;
            hash[2] += c;
            hash[3] += d;
            hash[4] += e;
            hash[5] += f;
            hash[6] += g;
            hash[7] += h;
        }
        const out = new Uint8Array(32);
        const outView = new DataView(out.buffer);
        hash.forEach((word, i) => outView.setUint32(i * 4, word));
        return out;
    }

    function hmac(key, data) {
        const block = new Uint8Array(64);
        block.set(key.length > 64 ? sha256(key) : key);
        const inner = new Uint8Array(64 + data.length);
        const outer = new Uint8Array(64 + 32);
        for (let i = 0; i < 64; i++) {
            inner[i] = block[i] ^ 0x36;
            outer[i] = block[i] ^ 0x5c;
        }
        inner.set(data, 64);
        outer.set(sha256(inner), 64);
        return sha256(outer);
    }

    const utf8 = text => new TextEncoder().encode(text);
    const hex = bytes => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');

    // ---- SigV4, as client-sdk's dev.sluice.clientsdk.auth.SigV4 canonicalises a request (the server verifies with it).

    const REGION = 'us-east-1';
    const SERVICE = 'sqs';
    const UNRESERVED = /[A-Za-z0-9\-_.~]/;

    /** RFC 3986 percent-encoding of every UTF-8 byte but A-Z a-z 0-9 - _ . ~ (and '/' when asked). */
    function encode(value, keepSlash) {
        let out = '';
        for (const byte of utf8(value)) {
            const c = String.fromCharCode(byte);
            out += (byte < 128 && UNRESERVED.test(c)) || (keepSlash && c === '/')
                ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
        }
        return out;
    }

    /** A query string's parameters decoded ('+' a space), encoded again, sorted by name then value. */
    function canonicalQuery(rawQuery) {
        if (!rawQuery) {
            return '';
        }
        const decode = part => decodeURIComponent(part.replace(/\+/g, ' '));
        return rawQuery.split('&').filter(part => part !== '').map(part => {
            const equals = part.indexOf('=');
            const name = decode(equals < 0 ? part : part.substring(0, equals));
            const value = equals < 0 ? '' : decode(part.substring(equals + 1));
            return [encode(name, false), encode(value, false)];
        }).sort((x, y) => x[0] === y[0] ? (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0) : (x[0] < y[0] ? -1 : 1))
            .map(pair => pair[0] + '=' + pair[1]).join('&');
    }

    /** The headers that sign a request to rawPath?rawQuery with this body (bytes) under the given key. */
    function signatureHeaders(method, rawPath, rawQuery, body, key, now) {
        const dateTime = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
        const date = dateTime.substring(0, 8);
        const payloadHash = hex(sha256(body));
        const headers = {host: location.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': dateTime};
        const names = Object.keys(headers).sort();
        const canonicalRequest = [method, encode(rawPath, true), canonicalQuery(rawQuery),
            names.map(name => name + ':' + headers[name]).join('\n') + '\n', names.join(';'), payloadHash].join('\n');
        const scope = date + '/' + REGION + '/' + SERVICE + '/aws4_request';
        const stringToSign = ['AWS4-HMAC-SHA256', dateTime, scope, hex(sha256(utf8(canonicalRequest)))].join('\n');
        let signingKey = hmac(utf8('AWS4' + key.secret), utf8(date));
        for (const part of [REGION, SERVICE, 'aws4_request']) {
            signingKey = hmac(signingKey, utf8(part));
        }
        return {
            'X-Amz-Date': dateTime,
            'X-Amz-Content-Sha256': payloadHash,
            Authorization: 'AWS4-HMAC-SHA256 Credential=' + key.id + '/' + scope + ', SignedHeaders=' + names.join(';')
                + ', Signature=' + hex(hmac(signingKey, utf8(stringToSign))),
        };
    }

    // ---- The operator's key: in sessionStorage only (gone when the tab closes), never in a URL, cookie or log.

    const KEY_ID = 'sluice.accessKeyId';
    const KEY_SECRET = 'sluice.secretAccessKey';

    function storedKey() {
        const id = sessionStorage.getItem(KEY_ID);
        const secret = sessionStorage.getItem(KEY_SECRET);
        return id && secret ? {id, secret} : null;
    }

    /** The refusals that mean the console needs (another) key. */
    const SIGN_IN_CODES = new Set(['MissingAuthenticationToken', 'InvalidClientTokenId', 'SignatureDoesNotMatch',
        'IncompleteSignature']);

    /**
     * Calls the REST API. `path` is below /v1 ('/queues?prefix=a') or includes it; its segments must already be
     * encoded (Sluice.enc). `body`: an object is sent as JSON, a string as UTF-8 text, undefined as nothing.
     * options.headers adds request headers. Resolves with the parsed JSON (text for other answers, null when
     * empty); rejects with an Error carrying .code, .status and the API's message.
     */
    async function api(method, path, body, options) {
        const full = path.startsWith('/v1') ? path : '/v1' + path;
        const question = full.indexOf('?');
        const rawPath = question < 0 ? full : full.substring(0, question);
        const rawQuery = question < 0 ? '' : full.substring(question + 1);
        const headers = Object.assign({}, options && options.headers);
        let bytes = new Uint8Array(0);
        if (typeof body === 'string') {
            bytes = utf8(body);
            headers['Content-Type'] = headers['Content-Type'] || 'text/plain; charset=utf-8';
        } else if (body !== undefined && body !== null) {
            bytes = utf8(JSON.stringify(body));
            headers['Content-Type'] = 'application/json';
        }
        const key = storedKey();
        if (key) {
            Object.assign(headers, signatureHeaders(method, rawPath, rawQuery, bytes, key, new Date()));
        }
        const response = await fetch(full, {method, headers, body: bytes.length > 0 ? bytes : undefined,
            credentials: 'omit', cache: 'no-store'});
        const text = await response.text();
        let parsed = text;
        if (text === '') {
            parsed = null;
        } else if ((response.headers.get('Content-Type') || '').includes('json')) {
            try {
                parsed = JSON.parse(text);
            } catch (ignored) {
                parsed = text;
            }
        }
        if (!response.ok) {
            const error = new Error(parsed && parsed.message ? parsed.message : 'HTTP ' + response.status);
            error.code = parsed && parsed.code ? parsed.code : 'HTTP' + response.status;
            error.status = response.status;
            if (SIGN_IN_CODES.has(error.code) && started && !document.body.classList.contains('signed-out')) {
                showSignIn(signInMessage(error));
            }
            throw error;
        }
        return parsed;
    }

    // ---- DOM helpers: text as text nodes only.

    /** An element: attrs (class, id, data-*, on<event> handlers, value, checked, other attributes), children. */
    function el(tag, attrs, ...children) {
        const svg = SVG_TAGS.has(tag);
        const node = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
        for (const [name, value] of Object.entries(attrs || {})) {
            if (value === undefined || value === null || value === false) {
                continue;
            }
            if (name.startsWith('on') && typeof value === 'function') {
                node.addEventListener(name.substring(2).toLowerCase(), value);
            } else if (!svg && (name === 'value' || name === 'checked' || name === 'disabled' || name === 'selected')) {
                node[name] = value;
            } else {
                node.setAttribute(name === 'className' ? 'class' : name, value === true ? '' : String(value));
            }
        }
        append(node, children);
        return node;
    }
    const SVG_TAGS = new Set(['svg', 'polyline', 'line', 'title', 'rect', 'path']);

    function append(node, children) {
        for (const child of children.flat(Infinity)) {
            if (child === undefined || child === null || child === false) {
                continue;
            }
            node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
        }
        return node;
    }

    /** A table: columns [{title, value(row) → string|Node}], one row per item; `empty` shown when there are none. */
    function table(columns, rows, empty) {
        const body = el('tbody', {});
        for (const row of rows) {
            body.appendChild(el('tr', {}, columns.map(column => el('td', {}, column.value(row)))));
        }
        if (rows.length === 0) {
            body.appendChild(el('tr', {}, el('td', {colspan: columns.length, class: 'empty'}, empty || 'None.')));
        }
        return el('table', {}, el('thead', {}, el('tr', {}, columns.map(column => el('th', {}, column.title)))), body);
    }

    /** A labelled form field around a control (which should have an id). */
    function field(label, control, hint) {
        return el('label', {class: 'field'}, el('span', {class: 'label'}, label), control,
            hint ? el('span', {class: 'hint'}, hint) : null);
    }

    /** Asks in an in-page dialog; resolves true for #confirm-yes, false for #confirm-no. */
    function confirm(text) {
        return new Promise(resolve => {
            const close = answer => {
                dialog.remove();
                resolve(answer);
            };
            const dialog = el('div', {id: 'confirm', class: 'overlay', role: 'dialog', 'aria-modal': 'true'},
                el('div', {class: 'dialog'}, el('p', {id: 'confirm-text'}, text),
                    el('div', {class: 'actions'},
                        el('button', {id: 'confirm-no', 'data-test': 'confirm-no', onclick: () => close(false)}, 'Cancel'),
                        el('button', {id: 'confirm-yes', 'data-test': 'confirm-yes', class: 'danger',
                            onclick: () => close(true)}, 'Yes'))));
            document.body.appendChild(dialog);
            dialog.querySelector('#confirm-no').focus();
        });
    }

    let noticeTimer = null;

    /** Shows a message in the bar at the top (#notice); errors stay until dismissed or replaced. */
    function notify(text, isError) {
        const bar = document.getElementById('notice');
        bar.replaceChildren(el('span', {id: 'notice-text'}, text),
            el('button', {class: 'link', 'data-test': 'notice-close', onclick: () => bar.hidden = true}, '×'));
        bar.className = isError ? 'error' : 'info';
        bar.hidden = false;
        clearTimeout(noticeTimer);
        if (!isError) {
            noticeTimer = setTimeout(() => bar.hidden = true, 8000);
        }
    }

    /** A small inline SVG sparkline of numbers (oldest first); the last value in its title. */
    function chart(values, width, height) {
        const w = width || 120;
        const h = height || 24;
        const max = Math.max(1, ...values);
        const step = values.length > 1 ? w / (values.length - 1) : w;
        const points = values.map((value, i) => (i * step).toFixed(1) + ',' + (h - 1 - (value / max) * (h - 2)).toFixed(1));
        return el('svg', {class: 'spark', width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, role: 'img'},
            el('title', {}, values.length ? String(values[values.length - 1]) : ''),
            el('polyline', {points: points.join(' ')}));
    }

    /** One path segment for api() or a hash link, encoded. */
    function enc(segment) {
        return encode(String(segment), false);
    }

    /** Seconds as a short age: 42 s, 5 min, 3 h, 2 d. */
    function age(seconds) {
        if (seconds === null || seconds === undefined || Number.isNaN(seconds)) {
            return '—';
        }
        if (seconds < 120) {
            return Math.round(seconds) + ' s';
        }
        if (seconds < 7200) {
            return Math.round(seconds / 60) + ' min';
        }
        return seconds < 172800 ? Math.round(seconds / 3600) + ' h' : Math.round(seconds / 86400) + ' d';
    }

    /** The message of a failed call, with its code. */
    function describe(error) {
        return error.code ? error.code + ': ' + error.message : String(error.message || error);
    }

    // ---- Pages and routing: #/<id>/<param>/...

    const pages = [];
    let leave = null;
    let started = false;

    /** Registers a page; render(container, params) may return a function called when the page is left. */
    function page(id, title, render) {
        pages.push({id, title, render});
        if (started) {
            renderNav();
        }
    }

    function go(hash) {
        if (location.hash === hash) {
            route();
        } else {
            location.hash = hash;
        }
    }

    function renderNav() {
        const current = currentRoute().id;
        document.getElementById('nav').replaceChildren(...pages.map(p => el('a', {href: '#/' + p.id,
            'data-test': 'nav-' + p.id, class: p.id === current ? 'active' : null}, p.title)));
    }

    function currentRoute() {
        const parts = location.hash.replace(/^#\/?/, '').split('/').filter(part => part !== '');
        let params;
        try {
            params = parts.slice(1).map(decodeURIComponent);
        } catch (malformed) {
            params = [];
        }
        return {id: parts[0] || (pages[0] && pages[0].id), params};
    }

    function route() {
        if (document.body.classList.contains('signed-out')) {
            return;
        }
        if (leave) {
            try {
                leave();
            } catch (ignored) {
                // A page's clean-up failing must not keep the next page from showing.
            }
            leave = null;
        }
        renderNav();
        const {id, params} = currentRoute();
        const found = pages.find(p => p.id === id);
        const content = document.getElementById('content');
        const root = el('section', {class: 'page', 'data-test': 'page-' + (found ? found.id : 'missing')});
        content.replaceChildren(root);
        if (!found) {
            root.appendChild(el('p', {}, 'No such page.'));
            return;
        }
        document.title = found.title + ' · Sluice';
        try {
            const cleanup = found.render(root, params);
            leave = typeof cleanup === 'function' ? cleanup : null;
        } catch (error) {
            root.appendChild(el('p', {class: 'error'}, describe(error)));
        }
    }

    // ---- Sign-in: shown when the API refuses an unsigned or wrongly signed call.

    function signInMessage(error) {
        switch (error.code) {
            case 'MissingAuthenticationToken':
                return 'This server requires an access key.';
            case 'InvalidClientTokenId':
                return 'Unknown access key id: the server has no such key.';
            case 'SignatureDoesNotMatch':
                return 'The secret access key is wrong for this access key id (or this computer\'s clock is more '
                    + 'than 15 minutes off).';
            default:
                return describe(error);
        }
    }

    function showSignIn(message) {
        sessionStorage.removeItem(KEY_ID);
        sessionStorage.removeItem(KEY_SECRET);
        if (leave) {
            leave();
            leave = null;
        }
        document.body.classList.add('signed-out');
        document.getElementById('signout').hidden = true;
        const id = el('input', {id: 'signin-key', autocomplete: 'username', spellcheck: 'false', required: true});
        const secret = el('input', {id: 'signin-secret', type: 'password', autocomplete: 'current-password', required: true});
        const error = el('p', {id: 'signin-error', class: 'error', role: 'alert'}, message || '');
        const form = el('form', {class: 'signin', 'data-test': 'page-signin', onsubmit: async event => {
            event.preventDefault();
            sessionStorage.setItem(KEY_ID, id.value.trim());
            sessionStorage.setItem(KEY_SECRET, secret.value);
            try {
                await probe();
                signedIn();
            } catch (refused) {
                sessionStorage.removeItem(KEY_ID);
                sessionStorage.removeItem(KEY_SECRET);
                error.textContent = signInMessage(refused);
            }
        }}, el('h1', {}, 'Sign in'),
            el('p', {}, 'Sign the console\'s API calls with an access key of this server. It is kept in this browser '
                + 'tab only (sessionStorage) and sent nowhere: each request carries only its signature.'),
            field('Access key id', id), field('Secret access key', secret), error,
            el('button', {type: 'submit', 'data-test': 'signin', class: 'primary'}, 'Sign in'));
        document.getElementById('nav').replaceChildren();
        document.getElementById('content').replaceChildren(form);
        id.focus();
    }

    function signedIn() {
        document.body.classList.remove('signed-out');
        const key = storedKey();
        const signOut = document.getElementById('signout');
        signOut.hidden = !key;
        signOut.textContent = key ? 'Sign out ' + key.id : 'Sign out';
        route();
    }

    /** One cheap call to learn whether the server wants a signature and accepts this one. */
    function probe() {
        return api('GET', '/queues?maxResults=1');
    }

    async function start() {
        document.getElementById('signout').addEventListener('click', () => showSignIn(''));
        window.addEventListener('hashchange', route);
        try {
            await probe();
            started = true;
            signedIn();
        } catch (error) {
            started = true;
            if (SIGN_IN_CODES.has(error.code)) {
                showSignIn(storedKey() ? signInMessage(error) : '');
            } else {
                signedIn();
                notify(describe(error), true);
            }
        }
    }

    document.addEventListener('DOMContentLoaded', start);

    return {api, page, el, table, field, confirm, notify, chart, enc, age, describe, go,
        // For tests: the hash functions the signer uses.
        sha256Hex: text => hex(sha256(utf8(text))), hmacHex: (key, text) => hex(hmac(utf8(key), utf8(text)))};
})();
