/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Serial input (see xen/include/xen/console.h): who gets the characters typed on the
 * hypervisor's UART, and the Ctrl-A cycle that moves them between dom0, the domUs with a
 * console backend and the hypervisor's debug keys.
 *
 * The registry is one slot per domain id, so the cycle order is the domain-id order with
 * no list to keep sorted. Everything here is under input_lock: console_input() runs in the
 * UART's interrupt on one CPU while a domain may shut down (and so leave the cycle) on
 * another. A backend's receive() is called with the lock held, so once
 * console_unregister_input() has returned no character can reach that domain any more;
 * the debug keys are run after the lock is dropped, because they take every domain's
 * locks and print a lot.
 */
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/fence.h>
#include <xen/keyhandler.h>
#include <xen/lib.h>

#define SWITCH_CHAR    0x01        /* Ctrl-A */
#define SWITCH_REPEATS 3           /* in a row, as on Xen */
#define TO_HYPERVISOR  MAX_DOMAINS /* the target that means the debug keys */

static struct {
    struct domain *d;
    const struct console_input_ops *ops; /* NULL: the domain is not in the cycle */
} backends[MAX_DOMAINS];

/* Until console_endboot(), keys typed during boot go to the hypervisor. Written under
 * input_lock, atomically because console_input_is_with() reads it without. */
static unsigned int target = TO_HYPERVISOR;
static unsigned int ctrl_a_run; /* Ctrl-As held back so far */
static spinlock_t input_lock = SPINLOCK_INIT;

/* Xen's sentence, with its names: "DOM0", "DOM1", and the hypervisor's own. */
static void announce(unsigned int t)
{
    if (t == TO_HYPERVISOR)
        printk("*** Serial input to minixen (type 'CTRL-a' three times to switch input)\n");
    else
        printk("*** Serial input to DOM%u (type 'CTRL-a' three times to switch input)\n", t);
}

/* The target after `from` in the cycle (input_lock held). */
static unsigned int next_target(unsigned int from)
{
    unsigned int id = from == TO_HYPERVISOR ? 0 : from + 1;

    for (; id < MAX_DOMAINS; id++)
        if (backends[id].ops != NULL)
            return id;
    return TO_HYPERVISOR;
}

void console_input(char c)
{
    unsigned long flags = spin_lock_irqsave(&input_lock);
    unsigned int held;

    if (c == SWITCH_CHAR) {
        if (++ctrl_a_run == SWITCH_REPEATS) {
            ctrl_a_run = 0;
            __atomic_store_n(&target, next_target(target), __ATOMIC_RELAXED);
            announce(target);
        }
        spin_unlock_irqrestore(&input_lock, flags);
        return;
    }
    /* Fewer than three Ctrl-As were ordinary characters: they go first, with this one. */
    held = ctrl_a_run;
    ctrl_a_run = 0;
    if (target != TO_HYPERVISOR) {
        struct domain *d = backends[target].d;
        const struct console_input_ops *ops = backends[target].ops;

        for (; held > 0; held--)
            ops->receive(d, SWITCH_CHAR);
        ops->receive(d, c);
        spin_unlock_irqrestore(&input_lock, flags);
        return;
    }
    spin_unlock_irqrestore(&input_lock, flags);
    debug_key(c); /* a held Ctrl-A is no key: dropped */
}

void console_endboot(void)
{
    struct domain *dom0 = domain_lookup(0);
    unsigned long flags = spin_lock_irqsave(&input_lock);

    if (dom0 != NULL && !READ_ONCE(dom0->is_shut_down) && backends[0].ops == NULL) {
        backends[0].d = dom0;
        backends[0].ops = &console_io_input_ops;
    }
    __atomic_store_n(&target, backends[0].ops != NULL ? 0u : TO_HYPERVISOR, __ATOMIC_RELAXED);
    ctrl_a_run = 0;
    announce(target);
    spin_unlock_irqrestore(&input_lock, flags);
}

int console_register_input(struct domain *d, const struct console_input_ops *ops)
{
    unsigned long flags;
    int rc = 0;

    if (d == NULL || d->domain_id >= MAX_DOMAINS || ops == NULL || ops->receive == NULL)
        return -EINVAL;
    flags = spin_lock_irqsave(&input_lock);
    if (backends[d->domain_id].ops != NULL) {
        rc = -EEXIST;
    } else {
        backends[d->domain_id].d = d;
        backends[d->domain_id].ops = ops;
    }
    spin_unlock_irqrestore(&input_lock, flags);
    return rc;
}

void console_unregister_input(struct domain *d)
{
    unsigned long flags;
    domid_t id;

    if (d == NULL || d->domain_id >= MAX_DOMAINS)
        return;
    id = d->domain_id;
    flags = spin_lock_irqsave(&input_lock);
    if (backends[id].d == d && backends[id].ops != NULL) {
        backends[id].d = NULL;
        backends[id].ops = NULL;
        if (target == id) {
            __atomic_store_n(&target, next_target(id), __ATOMIC_RELAXED);
            ctrl_a_run = 0;
            announce(target);
        }
    }
    spin_unlock_irqrestore(&input_lock, flags);
}

bool console_input_is_with(const struct domain *d)
{
    return d != NULL && __atomic_load_n(&target, __ATOMIC_RELAXED) == d->domain_id;
}

void console_input_describe(char *buf, size_t size)
{
    unsigned long flags = spin_lock_irqsave(&input_lock);
    unsigned int t = next_target(TO_HYPERVISOR), step;
    size_t n = 0;

    if (size == 0) {
        spin_unlock_irqrestore(&input_lock, flags);
        return;
    }
    buf[0] = '\0';
    /* From the first domain round to the hypervisor: at most MAX_DOMAINS + 1 steps. */
    for (step = 0; step <= MAX_DOMAINS && n < size; step++) {
        bool here = t == target;
        int w;

        if (t == TO_HYPERVISOR)
            w = xen_snprintf(buf + n, size - n, "%s%sminixen%s", step ? " -> " : "",
                             here ? "[" : "", here ? "]" : "");
        else
            w = xen_snprintf(buf + n, size - n, "%s%sDOM%u%s", step ? " -> " : "", here ? "[" : "",
                             t, here ? "]" : "");
        n += w > 0 ? (size_t)w : 0;
        if (t == TO_HYPERVISOR)
            break;
        t = next_target(t);
    }
    spin_unlock_irqrestore(&input_lock, flags);
}
