/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor console (see xen/include/xen/console.h): guest output, dom0's input ring,
 * and HYPERVISOR_console_io. Who gets serial input is console_input.c's business.
 *
 * Who may use console_io: every domain may write (Xen's debug builds allow that too; its
 * release builds refuse domains that are not the console domain). A domU's text is
 * printed by whole lines, "(dN) " in front, with control characters dropped, so one
 * guest can neither split another's line nor drive the terminal. Domain 0 owns the
 * console: its text goes out as it comes, unprefixed and unfiltered (it may be an
 * interactive shell), and only it may read the serial input (CONSOLEIO_read, -EPERM for
 * everybody else), which it gets while input is switched to it (console_io_input_ops).
 * A domU that has the serial input (through its own UART: the vPL011) is printed as dom0
 * is while it has it, each write's text out at once, as Xen prints it: someone chose to
 * talk to its shell.
 *
 * A domU's output is rate-limited (a token bucket per domain, in bytes of console output
 * with the "(dN) " prefixes counted): the serial line is slow and printed synchronously
 * under console_lock, so an unlimited domU could keep every CPU that prints, the
 * hypervisor's messages and the other domains' output waiting. What is over the limit is
 * dropped and counted; when the domain may print again one note says how much was lost.
 * dom0 is not limited, as Xen does not limit its hardware domain. Time under console_lock
 * is bounded per call either way: one call handles at most CONSOLE_COPY_CHUNK characters.
 */
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/lib.h>

#define CONSOLE_LINE_MAX   200  /* a longer domU line is cut into pieces (Xen: the same) */
#define CONSOLE_RX_SIZE    1024 /* dom0's input ring; characters are dropped when it is full */
#define CONSOLE_COPY_CHUNK 128  /* bounce buffer between guest memory and the console */
#define CONSOLE_IO_MAX     4096 /* bytes one CONSOLEIO_write call does before it continues */

/*
 * A domU may print DOMU_OUT_RATE bytes a second on average, DOMU_OUT_BURST at once after
 * a quiet spell: far above what a booting guest or the conformance suite prints (its
 * domUs print a few KiB in their first second), and below what 115200 baud carries, so
 * the line stays the hypervisor's and dom0's too.
 */
#define DOMU_OUT_RATE  4096u
#define DOMU_OUT_BURST 32768u
#define LINE_OVERHEAD  7u /* "(dNN) " and the newline: what a new line costs besides its text */
#define DROP_NOTE_MAX  64u

/* Partial lines of guest output, by domain id (under console_lock). */
static struct {
    uint16_t len;
    char text[CONSOLE_LINE_MAX];
} partial[MAX_DOMAINS];
static spinlock_t console_lock = SPINLOCK_INIT;

/* dom0's serial input (under rx_lock; filled from the UART's interrupt). */
static char rx_ring[CONSOLE_RX_SIZE];
static uint32_t rx_prod, rx_cons;
static spinlock_t rx_lock = SPINLOCK_INIT;

/* ---- Output ----------------------------------------------------------------------------- */

/*
 * Print d's buffered line as one write (console_lock held): "(dN) text", or without the
 * prefix (dom0's, or a domU's while it has the input, as on Xen). end_of_line false: a
 * partial line shown early (a prompt).
 */
static void flush_line(domid_t id, bool end_of_line, bool prefixed)
{
    char out[CONSOLE_LINE_MAX + 16];
    int n = prefixed ? xen_snprintf(out, sizeof(out), "(d%u) ", id) : 0;

    memcpy(out + n, partial[id].text, partial[id].len);
    n += partial[id].len;
    if (end_of_line)
        out[n++] = '\n';
    if (n > 0)
        arch_console_write(out, (size_t)n);
    partial[id].len = 0;
}

static bool printable(char c)
{
    return (c >= 0x20 && c < 0x7f) || c == '\t';
}

/* Top up d's allowance for the time since the last top-up (console_lock held). */
static void out_refill(struct domain *d, uint64_t now)
{
    struct console_out *o = &d->console_out;
    uint64_t elapsed, add;

    if (!o->started || now < o->last_ns) {
        o->started = true;
        o->tokens = DOMU_OUT_BURST;
        o->last_ns = now;
        return;
    }
    elapsed = now - o->last_ns;
    if (elapsed >= (uint64_t)DOMU_OUT_BURST * 1000000000ull / DOMU_OUT_RATE) {
        o->tokens = DOMU_OUT_BURST;
        o->last_ns = now;
        return;
    }
    add = elapsed * DOMU_OUT_RATE / 1000000000ull; /* elapsed < 8 s: no overflow */
    if (add == 0)
        return; /* keep last_ns: the fraction is not lost */
    o->tokens = (uint32_t)MIN((uint64_t)DOMU_OUT_BURST, o->tokens + add);
    /* Advance by exactly what was paid for, so frequent callers are not rounded down. */
    o->last_ns += add * 1000000000ull / DOMU_OUT_RATE;
}

/*
 * May domU d print one more character that costs `cost` bytes? Takes them if so, counts a
 * drop if not. After drops, the first character that fits (with the note) first prints
 * the partial line, cut, then "(dN) ... N characters dropped", and pays for the note.
 */
static bool out_take(struct domain *d, uint32_t cost)
{
    struct console_out *o = &d->console_out;
    domid_t id = d->domain_id;
    char note[DROP_NOTE_MAX];
    int n;

    if (o->dropped != 0) {
        if (o->tokens < cost + DROP_NOTE_MAX) {
            o->dropped++;
            return false;
        }
        if (partial[id].len != 0)
            flush_line(id, true, true);
        n = xen_snprintf(note, sizeof(note), "(d%u) ... %llu characters dropped\n", id,
                         (unsigned long long)o->dropped);
        arch_console_write(note, (size_t)MIN((unsigned int)n, sizeof(note) - 1));
        o->tokens -= DROP_NOTE_MAX; /* the cut line's text was paid for already */
        o->dropped = 0;
    }
    if (o->tokens < cost) {
        o->dropped++;
        return false;
    }
    o->tokens -= cost;
    return true;
}

void console_guest_write(struct domain *d, const char *buf, size_t len)
{
    domid_t id = d->domain_id;
    bool raw; /* unprefixed, unfiltered: dom0, or a domU while it has the serial input */
    unsigned long flags;
    size_t i;

    if (id >= MAX_DOMAINS)
        return;
    /*
     * Every domain's output, dom0's included, is printed a whole line at a time, so a
     * line is never split by another domain's or the hypervisor's output (guests often
     * write one line in several console_io calls). dom0's partial line is shown when it
     * waits for input (console_read), so an interactive prompt still appears.
     */
    raw = id == 0 || console_input_is_with(d);
    flags = spin_lock_irqsave(&console_lock);
    if (id != 0)
        out_refill(d, arch_now_ns());
    for (i = 0; i < len; i++) {
        bool kept = printable(buf[i]) || (raw && buf[i] != '\r' && buf[i] != '\0');
        uint32_t cost = 1 + (partial[id].len == 0 && !raw ? LINE_OVERHEAD : 0);

        /* A domU's output is paid for, raw or not: having the input is no licence to flood. */
        if (id != 0 && (buf[i] == '\n' || kept) && !out_take(d, cost))
            continue;
        if (buf[i] == '\n') {
            flush_line(id, true, !raw);
        } else if (kept) {
            partial[id].text[partial[id].len++] = buf[i];
            if (partial[id].len == CONSOLE_LINE_MAX)
                flush_line(id, id != 0 && !raw, !raw); /* a domU's long line is cut */
        }
    }
    /* A domU talking to whoever has its input: its prompt and echo now, not at a newline. */
    if (raw && id != 0 && partial[id].len != 0)
        flush_line(id, false, false);
    spin_unlock_irqrestore(&console_lock, flags);
}

static long console_write(struct vcpu *curr, unsigned long count, uint64_t buffer)
{
    char kbuf[CONSOLE_COPY_CHUNK];

    while (count > 0) {
        size_t n = MIN(count, sizeof(kbuf));

        if (arch_copy_from_guest(curr->domain, kbuf, buffer, n) != 0)
            return -EFAULT;
        console_guest_write(curr->domain, kbuf, n);
        buffer += n;
        count -= n;
    }
    return 0;
}

/* ---- Input ------------------------------------------------------------------------------- */

static long console_read(struct vcpu *curr, unsigned long count, uint64_t buffer)
{
    char kbuf[CONSOLE_COPY_CHUNK];
    unsigned long done = 0;
    unsigned int round;

    if (curr->domain->domain_id != 0)
        return -EPERM;
    if ((int)count < 0)
        return -XEN_E2BIG; /* the result must not look like an error */
    {
        /* dom0 waits for input: show the prompt it has written so far. */
        unsigned long flags = spin_lock_irqsave(&console_lock);

        flush_line(0, false, false);
        spin_unlock_irqrestore(&console_lock, flags);
    }
    /* Bounded even if input keeps arriving: at most one ring's worth per call. */
    for (round = 0; round <= CONSOLE_RX_SIZE / CONSOLE_COPY_CHUNK && done < count; round++) {
        unsigned long flags = spin_lock_irqsave(&rx_lock);
        uint32_t n = MIN(rx_prod - rx_cons, (uint32_t)MIN(count - done, sizeof(kbuf)));
        uint32_t i;

        for (i = 0; i < n; i++)
            kbuf[i] = rx_ring[(rx_cons + i) % CONSOLE_RX_SIZE];
        spin_unlock_irqrestore(&rx_lock, flags);
        if (n == 0)
            break;
        if (arch_copy_to_guest(curr->domain, buffer + done, kbuf, n) != 0)
            return -EFAULT; /* what was not copied stays in the ring */
        flags = spin_lock_irqsave(&rx_lock);
        rx_cons += n; /* only dom0 consumes, one call at a time per vCPU: still ours */
        spin_unlock_irqrestore(&rx_lock, flags);
        done += n;
    }
    return (long)done;
}

long do_console_io(struct vcpu *curr, unsigned int cmd, unsigned long count, uint64_t buffer)
{
    switch (cmd) {
    case CONSOLEIO_write:
        return console_write(curr, count, buffer);
    case CONSOLEIO_read:
        return console_read(curr, count, buffer);
    default:
        return -ENOSYS;
    }
}

/* args: cmd, count (32 bits, as on Xen), guest address of the buffer. */
long hypercall_console_io(struct vcpu *curr, unsigned long args[HYPERCALL_NR_ARGS])
{
    unsigned int cmd = (unsigned int)args[0];
    unsigned int count = (unsigned int)args[1];
    long rc;

    /* A long write goes out in pieces, the guest re-issuing the rest (a continuation). */
    if (cmd == CONSOLEIO_write && count > CONSOLE_IO_MAX) {
        rc = do_console_io(curr, cmd, CONSOLE_IO_MAX, args[2]);
        if (rc != 0)
            return rc;
        args[1] = count - CONSOLE_IO_MAX;
        args[2] += CONSOLE_IO_MAX;
        return -ERESTART;
    }
    return do_console_io(curr, cmd, count, args[2]);
}

/* ---- dom0's input backend ------------------------------------------------------------ */

/* A character for dom0 (console_input.c, input lock held): into the ring, then the VIRQ. */
static void dom0_receive(struct domain *d, char c)
{
    unsigned long flags = spin_lock_irqsave(&rx_lock);

    (void)d; /* the ring is dom0's: only domain 0 may CONSOLEIO_read */
    if (rx_prod - rx_cons < CONSOLE_RX_SIZE)
        rx_ring[rx_prod++ % CONSOLE_RX_SIZE] = c;
    spin_unlock_irqrestore(&rx_lock, flags);
    /* Always signal, even when full: dom0 then drains the ring (Xen does the same). */
    send_guest_global_virq(VIRQ_CONSOLE);
}

const struct console_input_ops console_io_input_ops = {.receive = dom0_receive};
