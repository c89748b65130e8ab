// The Topics page: the list, create, a topic's attributes and policy, its subscriptions with their status (pending,
// confirmed, failing with the last error), subscribe and unsubscribe, publish a test message, and what the cluster's
// nodes published and delivered for it (summed by the server). Everything goes through Sluice.api (/v1/topics, signed when a key was entered).
'use strict';

(() => {
    const {api, el, table, field, enc, describe, notify, confirm} = Sluice;
    /** How often a topic's subscriptions (and their status) are read again while its page is open. */
    const REFRESH_MILLIS = 5000;
    /** Attributes an operator may set on a topic (SetTopicAttributes). */
    const SETTABLE = ['DisplayName', 'Policy', 'DeliveryPolicy', 'KmsMasterKeyId', 'SignatureVersion', 'TracingConfig',
        'ContentBasedDeduplication', 'ArchivePolicy'];
    const PROTOCOLS = ['sqs', 'http', 'https', 'email', 'email-json', 'lambda'];

    function statusBadge(status) {
        const kind = status === 'Confirmed' ? 'ok' : status === 'Failing' ? 'bad' : 'warn';
        return el('span', {class: 'badge ' + kind, 'data-test': 'subscription-status'}, status || '—');
    }

    // A topic belongs to an account (its ARN carries it). A key sees its own account's topics; an operator's sees every
    // account's, so a link names the topic's account too, and the topic's page asks for it with ?account=.
    function link(name, account) {
        return el('a', {href: '#/topics/' + enc(name) + (account ? '/' + enc(account) : ''), 'data-test': 'topic-link'},
            name);
    }

    // ---- The list.

    function renderList(root) {
        const holder = el('div', {'data-test': 'topic-list'}, el('p', {class: 'loading'}, 'Loading…'));
        root.append(el('h1', {}, 'Topics'),
            el('div', {class: 'toolbar'},
                el('button', {'data-test': 'refresh-topics', onclick: () => load()}, 'Refresh'),
                el('span', {class: 'spacer'}),
                el('button', {class: 'primary', 'data-test': 'create-topic', onclick: () => Sluice.go('#/topics/~create')},
                    'Create topic')),
            holder);
        let token = null;
        async function load(more) {
            try {
                const answer = await api('GET', '/topics' + (more && token ? '?nextToken=' + encodeURIComponent(token) : ''));
                token = answer.nextToken;
                const rows = answer.topics;
                const list = table([
                    {title: 'Name', value: topic => link(topic.name, topic.account)},
                    {title: 'Account', value: topic => el('span', {'data-test': 'topic-account'}, topic.account || '')},
                    {title: 'Type', value: topic => topic.attributes.FifoTopic === 'true' ? 'FIFO' : 'Standard'},
                    {title: 'Display name', value: topic => topic.attributes.DisplayName || ''},
                    {title: 'Confirmed', value: topic => topic.attributes.SubscriptionsConfirmed || '0'},
                    {title: 'Pending', value: topic => topic.attributes.SubscriptionsPending || '0'},
                    {title: 'ARN', value: topic => el('span', {class: 'muted'}, topic.arn)},
                ], rows, 'No topics yet.');
                holder.replaceChildren(list, token ? el('button', {'data-test': 'more-topics', onclick: () => load(true)},
                    'Next page') : '');
            } catch (error) {
                holder.replaceChildren(el('p', {class: 'error'}, describe(error)));
            }
        }
        load();
    }

    // ---- Create.

    function renderCreate(root) {
        const name = el('input', {id: 'topic-name', required: true, spellcheck: 'false', placeholder: 'orders'});
        const fifo = el('input', {id: 'topic-fifo', type: 'checkbox'});
        const contentDedup = el('input', {id: 'topic-content-dedup', type: 'checkbox'});
        const displayName = el('input', {id: 'topic-display-name'});
        const fifoHint = el('span', {class: 'hint'}, 'A FIFO topic\'s name ends in .fifo; only FIFO queues subscribe to it.');
        async function submit(event) {
            event.preventDefault();
            let topic = name.value.trim();
            const attributes = {};
            if (fifo.checked) {
                if (!topic.endsWith('.fifo')) {
                    topic += '.fifo';
                }
                attributes.FifoTopic = 'true';
                if (contentDedup.checked) {
                    attributes.ContentBasedDeduplication = 'true';
                }
            }
            if (displayName.value) {
                attributes.DisplayName = displayName.value;
            }
            try {
                await api('PUT', '/topics/' + enc(topic), {attributes});
                notify('Topic ' + topic + ' created.');
                Sluice.go('#/topics/' + enc(topic));
            } catch (error) {
                notify(describe(error), true);
            }
        }
        root.append(el('h1', {}, 'Create topic'),
            el('form', {class: 'card', 'data-test': 'create-topic-form', onsubmit: submit},
                field('Name', name, '1–256 letters, digits, - and _'),
                el('label', {class: 'field inline'}, fifo, 'FIFO topic (ordered, deduplicated)'), fifoHint,
                el('label', {class: 'field inline'}, contentDedup, 'Content-based deduplication (FIFO only)'),
                field('Display name', displayName, 'Shown as the sender of email notifications'),
                el('div', {class: 'toolbar'},
                    el('button', {type: 'submit', class: 'primary', 'data-test': 'submit-create-topic'}, 'Create'),
                    el('button', {type: 'button', onclick: () => Sluice.go('#/topics')}, 'Cancel'))));
    }

    // ---- One topic.

    function renderTopic(root, name, account) {
        const path = '/topics/' + enc(name);
        /** Ends every request's path: the topic's account, when the link named one. */
        const at = account ? '?account=' + encodeURIComponent(account) : '';
        const head = el('div', {});
        const counts = el('div', {class: 'stats', 'data-test': 'topic-counts'});
        const subscriptions = el('div', {'data-test': 'subscription-list'}, el('p', {class: 'loading'}, 'Loading…'));
        const attributes = el('div', {'data-test': 'topic-attributes'});
        let topic = null;
        let stopped = false;
        let timer = null;

        root.append(el('p', {}, el('a', {href: '#/topics'}, '← Topics')), head, counts,
            el('h2', {}, 'Subscriptions'), subscriptions, el('h2', {}, 'Subscribe'), subscribeForm(),
            el('h2', {}, 'Publish a message'), publishForm(),
            el('h2', {}, 'Attributes'), attributes, attributeForm(), policyForm());

        async function loadTopic() {
            try {
                topic = await api('GET', path + at);
            } catch (error) {
                head.replaceChildren(el('h1', {}, name), el('p', {class: 'error', 'data-test': 'topic-error'}, describe(error)));
                return;
            }
            const fifo = topic.attributes.FifoTopic === 'true';
            head.replaceChildren(el('div', {class: 'toolbar'}, el('h1', {}, name),
                el('span', {class: 'badge'}, fifo ? 'FIFO' : 'Standard'), el('span', {class: 'spacer'}),
                el('button', {class: 'danger', 'data-test': 'delete-topic', onclick: remove}, 'Delete topic')),
                el('p', {class: 'muted'}, topic.arn));
            root.querySelectorAll('.fifo-only').forEach(node => node.hidden = !fifo);
            renderCounts(topic.counts || {}, topic.countsMissingFrom || []);
            attributes.replaceChildren(table([
                {title: 'Attribute', value: entry => entry[0]},
                {title: 'Value', value: entry => el('pre', {}, entry[1])},
            ], Object.entries(topic.attributes).sort((a, b) => a[0].localeCompare(b[0]))));
            const policy = root.querySelector('#topic-policy');
            if (policy && !policy.dataset.edited) {
                policy.value = pretty(topic.attributes.Policy || '');
            }
        }

        /** `all` summed over the cluster's nodes by the server; `missing`: nodes whose counts it could not read. */
        function renderCounts(all, missing) {
            const sum = kind => Object.values(all[kind] || {}).reduce((a, b) => a + b, 0);
            const stat = (label, value, test) => el('div', {class: 'stat', 'data-test': test},
                el('div', {class: 'value'}, String(value)), el('div', {class: 'name'}, label));
            counts.replaceChildren(stat('published', sum('PUBLISHED'), 'count-published'),
                stat('delivered', sum('DELIVERED'), 'count-delivered'),
                stat('failed attempts', sum('FAILED'), 'count-failed'),
                stat('dead-lettered', sum('DEAD_LETTERED'), 'count-dead-lettered'),
                stat('filtered out', sum('FILTERED_OUT'), 'count-filtered'),
                missing.length ? el('p', {class: 'muted', 'data-test': 'counts-missing'}, 'Without the counts of '
                    + missing.join(', ') + ' (not answering).') : null);
        }

        async function loadSubscriptions() {
            try {
                const answer = await api('GET', path + '/subscriptions' + at);
                subscriptions.replaceChildren(table([
                    {title: 'Protocol', value: s => s.protocol},
                    {title: 'Endpoint', value: s => el('span', {'data-test': 'subscription-endpoint'}, s.endpoint)},
                    {title: 'Status', value: s => statusBadge(s.status)},
                    {title: 'Last error', value: s => s.lastDeliveryError ? el('span', {},
                        el('span', {class: 'error', 'data-test': 'subscription-error'}, s.lastDeliveryError),
                        el('br', {}), el('span', {class: 'muted'}, 'at ' + s.lastDeliveryErrorAt + ', ' + s.failedAttempts
                            + ' failed attempts since ' + s.failingSince + (s.failingOn ? ' (on node ' + s.failingOn + ')' : ''))) : ''},
                    {title: 'Filter / raw', value: s => el('span', {class: 'muted'},
                        (s.attributes.FilterPolicy ? 'filter ' + s.attributes.FilterPolicy + ' ' : '')
                        + (s.attributes.RawMessageDelivery === 'true' ? 'raw' : ''))},
                    {title: '', value: s => el('button', {class: 'link', 'data-test': 'unsubscribe',
                        onclick: () => unsubscribe(s)}, 'Unsubscribe')},
                ], answer.subscriptions, 'No subscriptions.'));
                subscriptions.querySelectorAll('tbody tr').forEach((row, i) => {
                    const subscription = answer.subscriptions[i];
                    if (subscription) {
                        row.dataset.test = 'subscription-row';
                        row.dataset.status = subscription.status;
                        row.dataset.endpoint = subscription.endpoint;
                    }
                });
            } catch (error) {
                subscriptions.replaceChildren(el('p', {class: 'error'}, describe(error)));
            }
        }

        async function unsubscribe(subscription) {
            if (!await confirm('Unsubscribe ' + subscription.endpoint + ' from ' + name + '?')) {
                return;
            }
            const id = subscription.subscriptionArn.substring(subscription.subscriptionArn.lastIndexOf(':') + 1);
            try {
                await api('DELETE', path + '/subscriptions/' + enc(id) + at);
                notify('Unsubscribed ' + subscription.endpoint + '.');
                refresh();
            } catch (error) {
                notify(describe(error), true);
            }
        }

        async function remove() {
            if (!await confirm('Delete topic ' + name + ' and all its subscriptions?')) {
                return;
            }
            try {
                await api('DELETE', path + at);
                notify('Topic ' + name + ' deleted.');
                Sluice.go('#/topics');
            } catch (error) {
                notify(describe(error), true);
            }
        }

        function subscribeForm() {
            const protocol = el('select', {id: 'subscribe-protocol'}, PROTOCOLS.map(p => el('option', {value: p}, p)));
            const endpoint = el('input', {id: 'subscribe-endpoint', spellcheck: 'false', size: 60,
                placeholder: 'arn:aws:sqs:us-east-1:000000000000:my-queue'});
            const raw = el('input', {id: 'subscribe-raw', type: 'checkbox'});
            const filter = el('textarea', {id: 'subscribe-filter', placeholder: '{"severity": ["critical"]}'});
            protocol.addEventListener('change', () => {
                endpoint.placeholder = {sqs: 'arn:aws:sqs:us-east-1:000000000000:my-queue', http: 'http://host/path',
                    https: 'https://host/path', email: 'ops@example.com', 'email-json': 'ops@example.com',
                    lambda: 'arn:aws:lambda:us-east-1:000000000000:function:my-function'}[protocol.value];
            });
            async function submit(event) {
                event.preventDefault();
                const attributes = {};
                if (raw.checked) {
                    attributes.RawMessageDelivery = 'true';
                }
                if (filter.value.trim()) {
                    attributes.FilterPolicy = filter.value.trim();
                }
                try {
                    const answer = await api('POST', path + '/subscriptions' + at,
                        {protocol: protocol.value, endpoint: endpoint.value.trim(), attributes});
                    notify('Subscribed: ' + answer.subscriptionArn);
                    endpoint.value = '';
                    refresh();
                } catch (error) {
                    notify(describe(error), true);
                }
            }
            return el('form', {class: 'card', 'data-test': 'subscribe-form', onsubmit: submit},
                el('div', {class: 'toolbar'}, field('Protocol', protocol), field('Endpoint', endpoint,
                    'A queue ARN (sqs), a URL (http/https: it gets a SubscriptionConfirmation first), an address, a function ARN')),
                el('label', {class: 'field inline'}, raw, 'Raw message delivery (sqs, http/s)'),
                field('Filter policy (JSON, optional)', filter),
                el('button', {type: 'submit', class: 'primary', 'data-test': 'subscribe-submit'}, 'Subscribe'));
        }

        function publishForm() {
            const subject = el('input', {id: 'publish-subject', size: 60});
            const message = el('textarea', {id: 'publish-message', placeholder: 'Hello from the console'});
            const group = el('input', {id: 'publish-group'});
            const dedup = el('input', {id: 'publish-dedup'});
            const rows = el('div', {'data-test': 'publish-attributes'});
            let count = 0;
            function addAttribute() {
                const i = count++;
                const row = el('div', {class: 'toolbar'},
                    el('input', {id: 'publish-attribute-name-' + i, placeholder: 'name'}),
                    el('select', {id: 'publish-attribute-type-' + i}, ['String', 'Number', 'String.Array']
                        .map(type => el('option', {value: type}, type))),
                    el('input', {id: 'publish-attribute-value-' + i, placeholder: 'value'}),
                    el('button', {type: 'button', class: 'link', onclick: () => row.remove()}, 'Remove'));
                rows.appendChild(row);
            }
            async function submit(event) {
                event.preventDefault();
                const messageAttributes = {};
                rows.querySelectorAll('.toolbar').forEach(row => {
                    const [nameInput, typeSelect, valueInput] = row.querySelectorAll('input, select');
                    if (nameInput.value.trim()) {
                        messageAttributes[nameInput.value.trim()] = {dataType: typeSelect.value, stringValue: valueInput.value};
                    }
                });
                const body = {message: message.value, messageAttributes};
                if (subject.value) {
                    body.subject = subject.value;
                }
                if (group.value) {
                    body.messageGroupId = group.value;
                }
                if (dedup.value) {
                    body.messageDeduplicationId = dedup.value;
                }
                try {
                    const answer = await api('POST', path + '/publish' + at, body);
                    notify('Published message ' + answer.messageId
                        + (answer.sequenceNumber ? ' (sequence ' + answer.sequenceNumber + ')' : '') + '.');
                    refresh();
                } catch (error) {
                    notify(describe(error), true);
                }
            }
            return el('form', {class: 'card', 'data-test': 'publish-form', onsubmit: submit},
                field('Subject (optional)', subject), field('Message', message),
                el('div', {class: 'fifo-only', hidden: true}, el('div', {class: 'toolbar'},
                    field('Message group id', group), field('Deduplication id', dedup,
                        'Required unless the topic has content-based deduplication'))),
                el('div', {}, el('span', {class: 'label muted'}, 'Message attributes'), rows,
                    el('button', {type: 'button', class: 'link', 'data-test': 'publish-add-attribute', onclick: addAttribute},
                        '+ Add attribute')),
                el('button', {type: 'submit', class: 'primary', 'data-test': 'publish-submit'}, 'Publish'));
        }

        function attributeForm() {
            const attribute = el('select', {id: 'attribute-name'}, SETTABLE.filter(a => a !== 'Policy')
                .map(a => el('option', {value: a}, a)));
            const value = el('input', {id: 'attribute-value', size: 60});
            async function submit(event) {
                event.preventDefault();
                await save({[attribute.value]: value.value}, attribute.value);
            }
            return el('form', {class: 'card', 'data-test': 'attribute-form', onsubmit: submit},
                el('div', {class: 'toolbar'}, field('Attribute', attribute), field('Value', value),
                    el('button', {type: 'submit', 'data-test': 'attribute-submit'}, 'Set')));
        }

        function policyForm() {
            const policy = el('textarea', {id: 'topic-policy', rows: 12, oninput: () => policy.dataset.edited = 'true'});
            async function submit(event) {
                event.preventDefault();
                try {
                    JSON.parse(policy.value);
                } catch (invalid) {
                    notify('The policy is not JSON: ' + invalid.message, true);
                    return;
                }
                if (await save({Policy: policy.value}, 'Policy')) {
                    delete policy.dataset.edited;
                }
            }
            return el('form', {class: 'card', 'data-test': 'policy-form', onsubmit: submit},
                field('Access policy (JSON)', policy, 'Who may publish, subscribe and change this topic'),
                el('button', {type: 'submit', 'data-test': 'policy-submit'}, 'Save policy'));
        }

        async function save(changes, what) {
            try {
                await api('PATCH', path + '/attributes' + at, {attributes: changes});
                notify(what + ' saved.');
                loadTopic();
                return true;
            } catch (error) {
                notify(describe(error), true);
                return false;
            }
        }

        function refresh() {
            loadTopic();
            loadSubscriptions();
        }

        function schedule() {
            timer = setTimeout(() => {
                if (!stopped) {
                    loadSubscriptions().finally(() => loadTopic()).finally(() => stopped || schedule());
                }
            }, REFRESH_MILLIS);
        }

        refresh();
        schedule();
        return () => {
            stopped = true;
            clearTimeout(timer);
        };
    }

    function pretty(json) {
        try {
            return JSON.stringify(JSON.parse(json), null, 2);
        } catch (notJson) {
            return json;
        }
    }

    Sluice.page('topics', 'Topics', (root, params) => {
        if (params[0] === '~create') {
            return renderCreate(root);
        }
        return params.length > 0 ? renderTopic(root, params[0], params[1]) : renderList(root);
    });
})();
