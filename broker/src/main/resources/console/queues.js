// The Queues page: the list with depths and live rates; create; a queue's detail with its attributes, send, poll
// (receive, then delete or let them return), peek (look without receiving), tags, and its dead-letter side (which
// queues use it, redrive back at a chosen rate with progress). Everything goes through Sluice.api.
'use strict';

(() => {
    const {api, el, table, field, enc, age, describe, chart, notify, confirm, go} = Sluice;
    /** How often the list and a queue's numbers refresh, and how many points a sparkline keeps. */
    const REFRESH_MILLIS = 5000;
    const HISTORY = 24;
    /** Queues shown (and described, one call each) per refresh: a bound on the page's load on the server. */
    const PAGE_SIZE = 100;
    const TASK_REFRESH_MILLIS = 2000;

    /**
     * The settable attributes with SQS's documented ranges (the server checks them again and its message is shown).
     * kind: number (min..max), bool, choice; fifo: only FIFO queues have it.
     */
    const ATTRIBUTES = [
        {name: 'VisibilityTimeout', label: 'Visibility timeout (s)', kind: 'number', min: 0, max: 43200, default: 30},
        {name: 'DelaySeconds', label: 'Delivery delay (s)', kind: 'number', min: 0, max: 900, default: 0},
        {name: 'ReceiveMessageWaitTimeSeconds', label: 'Receive wait time (s)', kind: 'number', min: 0, max: 20, default: 0},
        {name: 'MessageRetentionPeriod', label: 'Retention period (s)', kind: 'number', min: 60, max: 1209600,
            default: 345600},
        {name: 'MaximumMessageSize', label: 'Maximum message size (bytes)', kind: 'number', min: 1024, max: 1048576,
            default: 262144},
        {name: 'SqsManagedSseEnabled', label: 'SQS-managed encryption', kind: 'bool', default: 'false'},
        {name: 'KmsMasterKeyId', label: 'KMS key id', kind: 'text', default: ''},
        {name: 'KmsDataKeyReusePeriodSeconds', label: 'KMS data key reuse (s)', kind: 'number', min: 60, max: 86400,
            default: 300},
        {name: 'ContentBasedDeduplication', label: 'Content-based deduplication', kind: 'bool', default: 'false',
            fifo: true},
        {name: 'DeduplicationScope', label: 'Deduplication scope', kind: 'choice', choices: ['queue', 'messageGroup'],
            default: 'queue', fifo: true},
        {name: 'FifoThroughputLimit', label: 'FIFO throughput limit', kind: 'choice',
            choices: ['perQueue', 'perMessageGroupId'], default: 'perQueue', fifo: true},
    ];
    const MAX_RECEIVE_COUNT = 1000;
    const MAX_REDRIVE_SOURCES = 10;

    const isFifo = name => name.endsWith('.fifo');
    const queueHref = (name, tab) => '#/queues/' + enc(name) + (tab ? '/' + tab : '');
    const time = millis => millis ? new Date(Number(millis)).toLocaleString() : '—';
    const number = (value, fallback) => value === '' || value === undefined ? fallback : Number(value);

    // ---- Live rates from the list's stats: each queue's counters as the leader of its group answers them (any node
    // asks the leaders, one read per data group), so every node shows every queue's rates and oldest age.

    /** Per queue, the last counters and the rates derived from them, kept while the console is open. */
    const history = new Map();

    /** Adds this refresh's counters to the queue's history; answers its rates per second. */
    function remember(name, counters, now) {
        const past = history.get(name) || {sentRates: [], receivedRates: []};
        if (counters && past.at) {
            const seconds = Math.max(0.001, (now - past.at) / 1000);
            past.sentRates.push(Math.max(0, (counters.sent - past.sent) / seconds));
            past.receivedRates.push(Math.max(0, (counters.received - past.received) / seconds));
            past.sentRates.splice(0, past.sentRates.length - HISTORY);
            past.receivedRates.splice(0, past.receivedRates.length - HISTORY);
        }
        if (counters) {
            Object.assign(past, {at: now, sent: counters.sent, received: counters.received});
        }
        history.set(name, past);
        return past;
    }

    function rate(values) {
        const last = values.length ? values[values.length - 1] : null;
        return el('span', {class: 'rate'}, chart(values), ' ', last === null ? '—' : last.toFixed(1) + '/s');
    }

    /** Runs refresh now and then every `millis` until the returned stop function is called. */
    function every(millis, refresh) {
        let stopped = false;
        let timer = null;
        const run = async () => {
            try {
                await refresh(() => stopped);
            } finally {
                if (!stopped) {
                    timer = setTimeout(run, millis);
                }
            }
        };
        run();
        return () => {
            stopped = true;
            clearTimeout(timer);
        };
    }

    // ---- The list.

    function renderList(root) {
        const filter = el('input', {id: 'queue-filter', placeholder: 'Name prefix', spellcheck: 'false'});
        const holder = el('div', {'data-test': 'queue-list'}, el('p', {class: 'loading'}, 'Loading…'));
        const more = el('p', {class: 'muted'});
        root.append(el('h1', {}, 'Queues'),
            el('div', {class: 'toolbar'}, filter,
                el('span', {class: 'spacer'}),
                el('button', {class: 'primary', 'data-test': 'create-queue', onclick: () => go('#/queues/~create')},
                    'Create queue')),
            holder, more);
        const refresh = async stopped => {
            try {
                const prefix = filter.value.trim();
                const listed = await api('GET', '/queues?stats=true&maxResults=' + PAGE_SIZE
                    + (prefix ? '&prefix=' + enc(prefix) : ''));
                if (stopped()) {
                    return;
                }
                const now = Date.now();
                holder.replaceChildren(listTable(listed.queues.map(queue => Object.assign(queue, {
                    rates: remember(queue.name, queue.stats, now)}))));
                const unavailable = (listed.unavailableGroups || []).length ? 'No answer from ' + listed.unavailableGroups
                    .join(', ') + ': their queues show no numbers. ' : '';
                more.textContent = unavailable + (listed.nextToken ? 'Showing the first ' + PAGE_SIZE
                    + ' queues: narrow with a prefix.' : '');
            } catch (error) {
                if (!stopped()) {
                    holder.replaceChildren(el('p', {class: 'error'}, describe(error)));
                }
            }
        };
        let stop = every(REFRESH_MILLIS, refresh);
        let debounce = null;
        filter.addEventListener('input', () => {
            clearTimeout(debounce);
            debounce = setTimeout(() => {
                stop();
                stop = every(REFRESH_MILLIS, refresh);
            }, 300);
        });
        return () => {
            stop();
            clearTimeout(debounce);
        };
    }

    function listTable(rows) {
        const depth = (row, key) => row.stats ? String(row.stats[key]) : '—';
        const cell = (row, test, value) => el('span', {'data-test': test, 'data-queue': row.name}, value);
        return table([
            {title: 'Name', value: row => el('a', {href: queueHref(row.name), 'data-test': 'queue-link', 'data-queue': row.name},
                row.name)},
            {title: 'Type', value: row => isFifo(row.name) ? 'FIFO' : 'Standard'},
            {title: 'Visible', value: row => cell(row, 'visible', depth(row, 'visible'))},
            {title: 'In flight', value: row => cell(row, 'in-flight', depth(row, 'inFlight'))},
            {title: 'Delayed', value: row => cell(row, 'delayed', depth(row, 'delayed'))},
            {title: 'Oldest', value: row => cell(row, 'oldest', row.stats ? age(row.stats.oldestAgeSeconds) : '—')},
            {title: 'Sent', value: row => cell(row, 'sent-rate', rate(row.rates.sentRates))},
            {title: 'Received', value: row => cell(row, 'received-rate', rate(row.rates.receivedRates))},
        ], rows, 'No queues yet.');
    }

    // ---- Attribute fields, shared by create and edit.

    /** The form controls of the settable attributes; values from `current` (a queue's attributes) or the defaults. */
    function attributeFields(fifo, current, queueNames) {
        const controls = {};
        const fields = [];
        for (const attribute of ATTRIBUTES) {
            if (attribute.fifo && !fifo) {
                continue;
            }
            const value = current && current[attribute.name] !== undefined ? current[attribute.name] : String(attribute.default);
            let control;
            const id = 'attr-' + attribute.name;
            if (attribute.kind === 'number') {
                control = el('input', {id, type: 'number', min: attribute.min, max: attribute.max, step: 1, value});
            } else if (attribute.kind === 'bool') {
                control = el('select', {id}, ['false', 'true'].map(choice => el('option', {value: choice,
                    selected: choice === value}, choice === 'true' ? 'Enabled' : 'Disabled')));
            } else if (attribute.kind === 'choice') {
                control = el('select', {id}, attribute.choices.map(choice => el('option', {value: choice,
                    selected: choice === value}, choice)));
            } else {
                control = el('input', {id, value, spellcheck: 'false'});
            }
            controls[attribute.name] = control;
            const range = attribute.kind === 'number' ? attribute.min + ' to ' + attribute.max : null;
            fields.push(field(attribute.label, control, range));
        }
        const redrive = parseJson(current && current.RedrivePolicy);
        const targetName = redrive && redrive.deadLetterTargetArn ? redrive.deadLetterTargetArn.split(':').pop() : '';
        const target = el('select', {id: 'dlq-target'}, el('option', {value: ''}, 'None'),
            queueNames.filter(name => isFifo(name) === fifo).map(name => el('option', {value: name,
                selected: name === targetName}, name)));
        const maxReceives = el('input', {id: 'dlq-max-receives', type: 'number', min: 1, max: MAX_RECEIVE_COUNT,
            value: redrive ? String(redrive.maxReceiveCount) : '10'});
        const allow = parseJson(current && current.RedriveAllowPolicy);
        const permission = el('select', {id: 'redrive-permission'}, ['allowAll', 'denyAll', 'byQueue'].map(choice =>
            el('option', {value: choice, selected: (allow ? allow.redrivePermission : 'allowAll') === choice}, choice)));
        const allowedSources = el('input', {id: 'redrive-sources', spellcheck: 'false', placeholder: 'queue names, comma separated',
            value: allow && allow.sourceQueueArns ? allow.sourceQueueArns.map(arn => arn.split(':').pop()).join(', ') : ''});
        const policy = el('textarea', {id: 'attr-Policy', spellcheck: 'false', placeholder: 'An access policy (JSON), or empty',
            value: current && current.Policy ? current.Policy : ''});
        const section = el('div', {},
            el('div', {class: 'grid'}, fields),
            el('h2', {}, 'Dead-letter queue'),
            el('div', {class: 'grid'}, field('Dead-letter queue', target, fifo ? 'FIFO queues only' : 'Standard queues only'),
                field('Maximum receives', maxReceives, '1 to ' + MAX_RECEIVE_COUNT)),
            el('h2', {}, 'Redrive allow policy (as a dead-letter queue)'),
            el('div', {class: 'grid'}, field('Which queues may use this queue as their dead-letter queue', permission),
                field('Allowed source queues (byQueue)', allowedSources, 'up to ' + MAX_REDRIVE_SOURCES)),
            el('h2', {}, 'Access policy'), policy);
        /** The attributes as the form says them; `arnOf` turns a queue name into its ARN. */
        const read = arnOf => {
            const attributes = {};
            for (const [name, control] of Object.entries(controls)) {
                if (control.value !== '' || (current && current[name] !== undefined)) {
                    attributes[name] = control.value.trim();
                }
            }
            attributes.RedrivePolicy = target.value ? JSON.stringify({deadLetterTargetArn: arnOf(target.value),
                maxReceiveCount: number(maxReceives.value, 10)}) : '';
            const sources = allowedSources.value.split(',').map(name => name.trim()).filter(name => name !== '');
            attributes.RedriveAllowPolicy = permission.value === 'allowAll' && !(current && current.RedriveAllowPolicy) ? ''
                : JSON.stringify(permission.value === 'byQueue' ? {redrivePermission: 'byQueue',
                    sourceQueueArns: sources.map(arnOf)} : {redrivePermission: permission.value});
            attributes.Policy = policy.value.trim();
            for (const name of ['RedrivePolicy', 'RedriveAllowPolicy', 'Policy', 'KmsMasterKeyId']) {
                if (attributes[name] === '' && !(current && current[name])) {
                    delete attributes[name];
                }
            }
            return attributes;
        };
        return {section, read};
    }

    function parseJson(text) {
        try {
            return text ? JSON.parse(text) : null;
        } catch (ignored) {
            return null;
        }
    }

    /** Every queue name (first pages), for the dead-letter choices. */
    async function allQueueNames() {
        const listed = await api('GET', '/queues?maxResults=1000');
        return listed.queues.map(queue => queue.name);
    }

    /** `key=value` lines (the first '=' splits) into an object. */
    function pairs(text) {
        const result = {};
        for (const line of text.split('\n')) {
            const equals = line.indexOf('=');
            if (line.trim() !== '' && equals > 0) {
                result[line.substring(0, equals).trim()] = line.substring(equals + 1).trim();
            }
        }
        return result;
    }

    // ---- Create.

    function renderCreate(root) {
        const name = el('input', {id: 'queue-name', spellcheck: 'false', required: true, maxlength: 80});
        const type = el('select', {id: 'queue-type'}, el('option', {value: 'standard'}, 'Standard'),
            el('option', {value: 'fifo'}, 'FIFO'));
        const tags = el('textarea', {id: 'queue-tags', spellcheck: 'false', placeholder: 'key=value, one a line'});
        const holder = el('div', {}, el('p', {class: 'loading'}, 'Loading…'));
        const error = el('p', {class: 'error', id: 'create-error', role: 'alert'});
        let form = null;
        let names = [];
        // Built once the queue names (the dead-letter choices) are known, so that nothing typed is replaced.
        const rebuild = () => {
            form = attributeFields(type.value === 'fifo', null, names);
            holder.replaceChildren(form.section);
        };
        type.addEventListener('change', rebuild);
        const submit = async event => {
            event.preventDefault();
            error.textContent = '';
            let queueName = name.value.trim();
            if (type.value === 'fifo' && !isFifo(queueName)) {
                queueName += '.fifo';
            }
            if (!form) {
                return;
            }
            const attributes = form.read(arnFor);
            if (type.value === 'fifo') {
                attributes.FifoQueue = 'true';
            }
            try {
                await api('PUT', '/queues/' + enc(queueName), {attributes, tags: pairs(tags.value)});
                notify('Created queue ' + queueName + '.');
                go(queueHref(queueName));
            } catch (failed) {
                error.textContent = describe(failed);
            }
        };
        root.append(el('h1', {}, 'Create queue'),
            el('form', {class: 'card', 'data-test': 'create-form', novalidate: true, onsubmit: submit},
                el('div', {class: 'grid'}, field('Name', name, 'Letters, digits, - and _; 1 to 80 characters (.fifo added '
                    + 'for FIFO)'), field('Type', type, 'FIFO: exactly-once, ordered per message group')),
                holder, el('h2', {}, 'Tags'), tags, error,
                el('div', {class: 'toolbar'}, el('button', {type: 'submit', class: 'primary', 'data-test': 'create-submit'},
                    'Create queue'), el('a', {href: '#/queues'}, 'Cancel'))));
        allQueueNames().catch(() => []).then(found => {
            names = found;
            rebuild();
        });
        name.focus();
        return null;
    }

    /** A queue's ARN from its name, in this server's region and account (read from a listed queue URL). */
    let arnPrefix = 'arn:aws:sqs:us-east-1:000000000000:';
    const arnFor = queueName => arnPrefix + queueName;

    // ---- A queue's detail.

    /** Refreshes the open queue's numbers now (after an action changed them); the page sets it. */
    let refreshStats = () => {};

    const TABS = [['overview', 'Settings'], ['send', 'Send'], ['poll', 'Poll'], ['peek', 'Peek'], ['tags', 'Tags'],
        ['dlq', 'Dead-letter']];

    function renderQueue(root, name, tab) {
        const stats = el('div', {class: 'stats'});
        const body = el('div', {'data-test': 'queue-tab-' + tab});
        root.append(el('p', {}, el('a', {href: '#/queues'}, '← Queues')),
            el('div', {class: 'toolbar'}, el('h1', {'data-test': 'queue-name'}, name), el('span', {class: 'spacer'}),
                el('button', {'data-test': 'purge-queue', onclick: () => purge(name)}, 'Purge'),
                el('button', {class: 'danger', 'data-test': 'delete-queue', onclick: () => remove(name)}, 'Delete')),
            stats,
            el('div', {class: 'tabs'}, TABS.map(([id, title]) => el('button', {class: id === tab ? 'active' : null,
                'data-test': 'tab-' + id, onclick: () => go(queueHref(name, id))}, title))),
            body);
        let queue = null;
        const loadStats = async stopped => {
            try {
                // The oldest age comes from the group's leader, like the list's (a prefix list whose first is this queue).
                const [described, listed] = await Promise.all([api('GET', '/queues/' + enc(name)),
                    api('GET', '/queues?stats=true&maxResults=1&prefix=' + enc(name)).catch(() => null)]);
                queue = described;
                const own = listed && listed.queues.find(listedQueue => listedQueue.name === name);
                if (queue.attributes.QueueArn) {
                    arnPrefix = queue.attributes.QueueArn.substring(0, queue.attributes.QueueArn.length - name.length);
                }
                if (!stopped()) {
                    stats.replaceChildren(stat('Visible', queue.depth.visible, 'stat-visible'),
                        stat('In flight', queue.depth.inFlight, 'stat-in-flight'),
                        stat('Delayed', queue.depth.delayed, 'stat-delayed'),
                        stat('Oldest', own && own.stats ? age(own.stats.oldestAgeSeconds) : '—', 'stat-oldest'),
                        stat('Type', isFifo(name) ? 'FIFO' : 'Standard', 'stat-type'));
                }
            } catch (error) {
                if (!stopped()) {
                    stats.replaceChildren(el('p', {class: 'error'}, describe(error)));
                }
            }
        };
        const stopStats = every(REFRESH_MILLIS, loadStats);
        refreshStats = () => loadStats(() => false);
        const renderers = {overview: renderSettings, send: renderSend, poll: renderPoll, peek: renderPeek, tags: renderTags,
            dlq: renderDeadLetter};
        const stopTab = (renderers[tab] || renderSettings)(body, name);
        return () => {
            stopStats();
            refreshStats = () => {};
            if (typeof stopTab === 'function') {
                stopTab();
            }
        };
    }

    function stat(name, value, test) {
        return el('div', {class: 'stat'}, el('div', {class: 'value', 'data-test': test}, String(value)),
            el('div', {class: 'name'}, name));
    }

    async function purge(name) {
        if (!await confirm('Purge queue ' + name + '? Every message in it is deleted; this cannot be undone.')) {
            return;
        }
        try {
            await api('DELETE', '/queues/' + enc(name) + '/messages');
            notify('Purged queue ' + name + '.');
            refreshStats();
        } catch (error) {
            notify(describe(error), true);
        }
    }

    async function remove(name) {
        if (!await confirm('Delete queue ' + name + ' and all its messages? This cannot be undone.')) {
            return;
        }
        try {
            await api('DELETE', '/queues/' + enc(name));
            notify('Deleted queue ' + name + '.');
            go('#/queues');
        } catch (error) {
            notify(describe(error), true);
        }
    }

    function renderSettings(body, name) {
        body.append(el('p', {class: 'loading'}, 'Loading…'));
        Promise.all([api('GET', '/queues/' + enc(name)), allQueueNames().catch(() => [])]).then(([queue, names]) => {
            const form = attributeFields(isFifo(name), queue.attributes, names.filter(other => other !== name));
            const error = el('p', {class: 'error', id: 'settings-error', role: 'alert'});
            const save = async event => {
                event.preventDefault();
                error.textContent = '';
                try {
                    await api('PUT', '/queues/' + enc(name) + '/attributes', {attributes: form.read(arnFor)});
                    notify('Saved the settings of ' + name + '.');
                } catch (failed) {
                    error.textContent = describe(failed);
                }
            };
            const facts = [['URL', queue.url], ['ARN', queue.attributes.QueueArn],
                ['Created', time(Number(queue.attributes.CreatedTimestamp) * 1000)],
                ['Last modified', time(Number(queue.attributes.LastModifiedTimestamp) * 1000)],
                ['Data groups', (queue.groups || []).join(', ')]];
            body.replaceChildren(table([{title: 'Property', value: row => row[0]}, {title: 'Value', value: row => row[1] || '—'}],
                facts), el('form', {class: 'card', 'data-test': 'settings-form', novalidate: true, onsubmit: save}, form.section, error,
                el('button', {type: 'submit', class: 'primary', 'data-test': 'save-attributes'}, 'Save')));
        }).catch(error => body.replaceChildren(el('p', {class: 'error'}, describe(error))));
        return null;
    }

    function renderSend(body, name) {
        const fifo = isFifo(name);
        const text = el('textarea', {id: 'send-body', spellcheck: 'false', placeholder: 'Message body'});
        const delay = el('input', {id: 'send-delay', type: 'number', min: 0, max: 900, placeholder: 'queue default'});
        const groupId = el('input', {id: 'send-group-id', spellcheck: 'false', maxlength: 128});
        const dedupId = el('input', {id: 'send-dedup-id', spellcheck: 'false', maxlength: 128});
        const attributes = el('textarea', {id: 'send-attributes', spellcheck: 'false',
            placeholder: 'Message attributes, one a line: name=value (String), or name:Type=value with Type Number, '
                + 'Binary (value in base64) or a custom one such as Number.int'});
        const error = el('p', {class: 'error', id: 'send-error', role: 'alert'});
        const send = async event => {
            event.preventDefault();
            error.textContent = '';
            const query = [];
            if (delay.value !== '') {
                query.push('delay=' + enc(delay.value));
            }
            if (fifo && groupId.value !== '') {
                query.push('groupId=' + enc(groupId.value));
            }
            if (fifo && dedupId.value !== '') {
                query.push('deduplicationId=' + enc(dedupId.value));
            }
            for (const [key, value] of Object.entries(pairs(attributes.value))) {
                // name:Type (a colon is never part of an SQS attribute name); the server checks the type and value.
                const colon = key.indexOf(':');
                const attribute = colon < 0 ? key : key.substring(0, colon).trim();
                query.push('attribute.' + enc(attribute) + '=' + enc(value));
                if (colon >= 0) {
                    query.push('attributeType.' + enc(attribute) + '=' + enc(key.substring(colon + 1).trim()));
                }
            }
            try {
                const sent = await api('POST', '/queues/' + enc(name) + '/messages' + (query.length ? '?' + query.join('&') : ''),
                    text.value);
                notify('Sent message ' + sent.messageId + '.');
                refreshStats();
            } catch (failed) {
                error.textContent = describe(failed);
            }
        };
        body.append(el('form', {class: 'card', 'data-test': 'send-form', onsubmit: send},
            field('Body', text),
            el('div', {class: 'grid'}, field('Delay (s)', delay, fifo ? 'FIFO queues delay per queue only' : '0 to 900'),
                fifo ? field('Message group id', groupId, 'required') : null,
                fifo ? field('Deduplication id', dedupId, 'unless content-based deduplication is on') : null),
            field('Message attributes', attributes, 'name=value, or name:Number=42, name:Binary=aGk=, name:Number.int=7'),
            error,
            el('button', {type: 'submit', class: 'primary', 'data-test': 'send-message'}, 'Send message')));
        text.focus();
        return null;
    }

    /** A message's body and attributes for a table cell: always as text. */
    function messageCell(message) {
        const attributes = Object.entries(message.messageAttributes || {}).map(([key, value]) =>
            key + (value.dataType && value.dataType !== 'String' ? ' (' + value.dataType + ')' : '') + ' = '
            + (value.stringValue !== undefined && value.stringValue !== null ? value.stringValue
                : 'base64 ' + (value.binaryValue || '')));
        return el('div', {}, el('pre', {class: 'body', 'data-test': 'message-body'},
            message.body !== undefined && message.body !== null ? message.body : '(binary, ' + message.bodyBase64.length
                + ' base64 characters)'),
            attributes.length ? el('div', {class: 'muted'}, attributes.join('; ')) : null);
    }

    function renderPoll(body, name) {
        const visibility = el('input', {id: 'poll-visibility', type: 'number', min: 0, max: 43200, value: '30'});
        const wait = el('input', {id: 'poll-wait', type: 'number', min: 0, max: 20, value: '1'});
        const max = el('input', {id: 'poll-max', type: 'number', min: 1, max: 10, value: '10'});
        const results = el('div', {'data-test': 'poll-results'});
        let received = [];
        const selected = () => received.filter(message => message.checkbox.checked);
        const poll = async event => {
            event.preventDefault();
            results.replaceChildren(el('p', {class: 'loading'}, 'Polling…'));
            try {
                const answer = await api('GET', '/queues/' + enc(name) + '/messages?max=' + enc(max.value || '10') + '&wait='
                    + enc(wait.value || '0') + '&visibility=' + enc(visibility.value || '30'));
                received = received.concat(answer.messages.map(message => Object.assign(message, {
                    checkbox: el('input', {type: 'checkbox', 'data-test': 'poll-select', 'data-message-id': message.messageId}),
                })));
                show();
                notify(answer.messages.length === 0 ? 'No message arrived.' : 'Received ' + answer.messages.length
                    + ' message(s); they stay hidden for ' + (visibility.value || '30') + ' s unless deleted or returned.');
                refreshStats();
            } catch (failed) {
                results.replaceChildren(el('p', {class: 'error'}, describe(failed)));
            }
        };
        const act = async (what, call) => {
            const chosen = selected();
            const failures = [];
            for (const message of chosen) {
                try {
                    await call(message);
                } catch (failed) {
                    failures.push(describe(failed));
                }
            }
            received = received.filter(message => !chosen.includes(message) || failures.length > 0);
            show();
            refreshStats();
            notify(failures.length ? failures.join('; ') : what + ' ' + chosen.length + ' message(s).', failures.length > 0);
        };
        const show = () => results.replaceChildren(table([
            {title: '', value: message => message.checkbox},
            {title: 'Body', value: messageCell},
            {title: 'Message id', value: message => message.messageId},
            {title: 'Receives', value: message => message.attributes.ApproximateReceiveCount},
            {title: 'Sent', value: message => time(message.attributes.SentTimestamp)},
        ], received, 'No message received yet.'));
        body.append(el('form', {class: 'card', 'data-test': 'poll-form', onsubmit: poll},
            el('div', {class: 'grid'}, field('Visibility timeout (s)', visibility, 'hidden from other consumers this long'),
                field('Wait time (s)', wait, '0 to 20 (long poll)'), field('Messages', max, '1 to 10')),
            el('div', {class: 'toolbar'}, el('button', {type: 'submit', class: 'primary', 'data-test': 'poll-messages'},
                'Poll for messages'),
                el('button', {type: 'button', 'data-test': 'delete-selected', onclick: () => act('Deleted',
                    message => api('DELETE', '/queues/' + enc(name) + '/messages/' + enc(message.receiptHandle)))},
                    'Delete selected'),
                el('button', {type: 'button', 'data-test': 'return-selected', onclick: () => act('Returned',
                    message => api('PUT', '/queues/' + enc(name) + '/messages/' + enc(message.receiptHandle)
                        + '/visibility?timeout=0'))}, 'Return selected now'))),
            results);
        show();
        return null;
    }

    function renderPeek(body, name) {
        const max = el('input', {id: 'peek-max', type: 'number', min: 1, max: 100, value: '10'});
        const results = el('div', {'data-test': 'peek-results'});
        const peek = async event => {
            if (event) {
                event.preventDefault();
            }
            try {
                const answer = await api('GET', '/queues/' + enc(name) + '/messages/peek?max=' + enc(max.value || '10'));
                results.replaceChildren(table([
                    {title: 'Body', value: messageCell},
                    {title: 'State', value: message => el('span', {class: 'badge', 'data-test': 'peek-state'},
                        message.state.replace('_', ' ').toLowerCase())},
                    {title: 'Receives', value: message => el('span', {'data-test': 'peek-receives'},
                        message.attributes.ApproximateReceiveCount)},
                    {title: 'Sent', value: message => time(message.attributes.SentTimestamp)},
                    {title: 'Visible at', value: message => message.state === 'VISIBLE' ? 'now' : time(message.visibleAt)},
                    {title: 'Message id', value: message => message.messageId},
                ], answer.messages, 'The queue is empty.'));
            } catch (failed) {
                results.replaceChildren(el('p', {class: 'error'}, describe(failed)));
            }
        };
        body.append(el('form', {class: 'card', 'data-test': 'peek-form', onsubmit: peek},
            el('p', {class: 'muted'}, 'The oldest messages, looked at without receiving them: their receive counts and '
                + 'visibility do not change, and consumers are not kept from them.'),
            el('div', {class: 'toolbar'}, field('Messages', max, '1 to 100'),
                el('button', {type: 'submit', class: 'primary', 'data-test': 'peek-messages'}, 'Peek'))),
            results);
        peek();
        return null;
    }

    function renderTags(body, name) {
        const key = el('input', {id: 'tag-key', spellcheck: 'false', maxlength: 128});
        const value = el('input', {id: 'tag-value', spellcheck: 'false', maxlength: 256});
        const list = el('div', {'data-test': 'tag-list'});
        const load = async () => {
            try {
                const {tags} = await api('GET', '/queues/' + enc(name) + '/tags');
                list.replaceChildren(table([
                    {title: 'Key', value: row => row[0]},
                    {title: 'Value', value: row => row[1]},
                    {title: '', value: row => el('button', {class: 'link', 'data-test': 'remove-tag', 'data-key': row[0],
                        onclick: () => change(api('DELETE', '/queues/' + enc(name) + '/tags?key=' + enc(row[0])),
                            'Removed tag ' + row[0] + '.')}, 'Remove')},
                ], Object.entries(tags).sort(), 'No tags.'));
            } catch (failed) {
                list.replaceChildren(el('p', {class: 'error'}, describe(failed)));
            }
        };
        const change = async (call, done) => {
            try {
                await call;
                notify(done);
            } catch (failed) {
                notify(describe(failed), true);
            }
            load();
        };
        body.append(list, el('form', {class: 'card toolbar', 'data-test': 'tag-form', onsubmit: event => {
            event.preventDefault();
            change(api('PUT', '/queues/' + enc(name) + '/tags', {tags: {[key.value.trim()]: value.value}}),
                'Tagged ' + name + ' with ' + key.value.trim() + '.');
        }}, field('Key', key), field('Value', value), el('button', {type: 'submit', 'data-test': 'add-tag'}, 'Add tag')));
        load();
        return null;
    }

    function renderDeadLetter(body, name) {
        const sources = el('div', {'data-test': 'dlq-sources'});
        const tasks = el('div', {'data-test': 'move-tasks'});
        const destination = el('select', {id: 'redrive-destination'}, el('option', {value: ''},
            'Back to each message\'s source queue'));
        const rateField = el('input', {id: 'redrive-rate', type: 'number', min: 1, max: 500,
            placeholder: 'as fast as the server allows'});
        const error = el('p', {class: 'error', id: 'redrive-error', role: 'alert'});
        api('GET', '/queues/' + enc(name) + '/dead-letter-sources').then(answer => {
            sources.replaceChildren(answer.queues.length === 0
                ? el('p', {class: 'muted'}, 'No queue uses ' + name + ' as its dead-letter queue.')
                : table([{title: 'Source queue', value: queue => el('a', {href: queueHref(queue.name),
                    'data-test': 'dlq-source', 'data-queue': queue.name}, queue.name)}], answer.queues));
        }).catch(failed => sources.replaceChildren(el('p', {class: 'error'}, describe(failed))));
        allQueueNames().then(names => names.filter(other => other !== name && isFifo(other) === isFifo(name))
            .forEach(other => destination.appendChild(el('option', {value: other}, other)))).catch(() => {});
        const start = async event => {
            event.preventDefault();
            error.textContent = '';
            const request = {};
            if (destination.value) {
                request.destination = destination.value;
            }
            if (rateField.value !== '') {
                request.maxMessagesPerSecond = Number(rateField.value);
            }
            try {
                await api('POST', '/queues/' + enc(name) + '/move-tasks', request);
                notify('Started moving the messages of ' + name + '.');
                refreshTasks();
            } catch (failed) {
                error.textContent = describe(failed);
            }
        };
        const cancel = async task => {
            if (!await confirm('Stop moving messages from ' + name + '? Messages moved so far stay moved.')) {
                return;
            }
            try {
                const answer = await api('DELETE', '/queues/' + enc(name) + '/move-tasks/' + enc(task.taskHandle));
                notify('Cancelled the move task; ' + answer.moved + ' message(s) were moved.');
            } catch (failed) {
                notify(describe(failed), true);
            }
            refreshTasks();
        };
        let wasRunning = false;
        const refreshTasks = async () => {
            try {
                const answer = await api('GET', '/queues/' + enc(name) + '/move-tasks?maxResults=10');
                // The queue's numbers follow a running task, up to the refresh after it ended.
                const running = answer.tasks.some(task => task.status === 'RUNNING');
                if (running || wasRunning) {
                    refreshStats();
                }
                wasRunning = running;
                tasks.replaceChildren(table([
                    {title: 'Status', value: task => el('span', {class: 'badge ' + (task.status === 'FAILED' ? 'bad'
                        : task.status === 'COMPLETED' ? 'ok' : 'warn'), 'data-test': 'task-status'}, task.status)},
                    {title: 'Progress', value: task => el('span', {}, el('progress', {max: Math.max(1, task.toMove || 0),
                        value: task.moved || 0}), ' ', el('span', {'data-test': 'task-moved'}, String(task.moved || 0)),
                        ' of ' + (task.toMove === undefined ? '?' : task.toMove))},
                    {title: 'To', value: task => task.destination || 'source queues'},
                    {title: 'Rate', value: task => task.maxMessagesPerSecond ? task.maxMessagesPerSecond + '/s' : 'default'},
                    {title: 'Started', value: task => time(task.startedTimestamp)},
                    {title: '', value: task => task.failureReason ? el('span', {class: 'error'}, task.failureReason)
                        : task.status === 'RUNNING' ? el('button', {'data-test': 'cancel-redrive', onclick: () => cancel(task)},
                            'Cancel') : ''},
                ], answer.tasks, 'No move tasks yet.'));
            } catch (failed) {
                tasks.replaceChildren(el('p', {class: 'error'}, describe(failed)));
            }
        };
        body.append(el('h2', {}, 'Queues using this dead-letter queue'), sources,
            el('h2', {}, 'Redrive'),
            el('form', {class: 'card', 'data-test': 'redrive-form', onsubmit: start},
                el('div', {class: 'grid'}, field('Move messages to', destination),
                    field('Messages per second', rateField, '1 to 500')), error,
                el('button', {type: 'submit', class: 'primary', 'data-test': 'start-redrive'}, 'Start redrive')),
            el('h2', {}, 'Move tasks'), tasks);
        return every(TASK_REFRESH_MILLIS, refreshTasks);
    }

    Sluice.page('queues', 'Queues', (root, params) => {
        if (params.length === 0) {
            return renderList(root);
        }
        if (params[0] === '~create') {
            return renderCreate(root);
        }
        return renderQueue(root, params[0], params[1] || 'overview');
    });
})();
