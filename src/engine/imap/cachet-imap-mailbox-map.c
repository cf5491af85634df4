/* cachet-imap-mailbox-map.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cachet-imap-mailbox-map.h"
#include "cachet-imap-sequence-set.h"

/* Message sequence numbers of the selected mailbox, turned into UIDs.
 *
 * Sequence numbers shift down by one after every EXPUNGE, so a plain array
 * would cost a move of the whole tail per expunge: a mass expunge in a
 * mailbox of 100,000 messages would be quadratic. Instead, every message
 * ever counted keeps its slot, in mailbox order, and an expunged slot is only
 * marked dead. A Fenwick tree over the "alive" marks finds the slot of the
 * n-th alive message (a sequence number) and the sequence number of a slot,
 * both in O(log n). Dead slots are squeezed out when they outnumber the live
 * ones, which keeps memory proportional to the mailbox and the cost amortised.
 *
 * A slot's UID is 0 until a FETCH tells it: after SELECT only the count is
 * known. A hash table from UID to slot serves VANISHED, which names UIDs. */

#define MIN_CAPACITY 64

/* VANISHED sets up to this many UIDs are looked up one by one; larger ones
 * ("1:4294967295") are matched against the slots instead. */
#define LOOKUP_MAX_UIDS 65536

struct _CachetImapMailboxMap
{
  guint32     count;       /* messages in the mailbox, tracked or not */
  gboolean    tracking;    /* FALSE once the mailbox grew past the bound */
  guint32     length;      /* slots in use, alive or dead */
  guint32     capacity;
  guint32    *uids;        /* per slot; 0 = not known yet */
  guint8     *alive;
  guint32    *tree;        /* Fenwick tree, 1-based, over alive */
  guint32     n_unknown;   /* alive slots whose UID is not known */
  GHashTable *by_uid;      /* UID -> slot + 1, alive slots only */
};

static void
tree_add (CachetImapMailboxMap *self,
          guint32               slot,
          gint                  delta)
{
  for (guint32 i = slot + 1; i <= self->capacity; i += i & (~i + 1))
    self->tree[i] = (guint32) ((gint64) self->tree[i] + delta);
}

/* The number of alive slots up to and including @slot: its sequence number. */
static guint32
tree_rank (CachetImapMailboxMap *self,
           guint32               slot)
{
  guint32 sum = 0;

  for (guint32 i = slot + 1; i > 0; i -= i & (~i + 1))
    sum += self->tree[i];
  return sum;
}

/* The slot of the alive message numbered @seq (1-based). */
static guint32
tree_select (CachetImapMailboxMap *self,
             guint32               seq)
{
  guint32 position = 0;
  guint32 step = 1;

  while (step <= self->capacity / 2)
    step <<= 1;
  for (; step > 0; step >>= 1)
    {
      guint32 next = position + step;

      if (next <= self->capacity && self->tree[next] < seq)
        {
          position = next;
          seq -= self->tree[next];
        }
    }
  /* position is the 1-based index before the slot: the slot itself, 0-based. */
  return position;
}

static void
clear_slots (CachetImapMailboxMap *self)
{
  g_clear_pointer (&self->uids, g_free);
  g_clear_pointer (&self->alive, g_free);
  g_clear_pointer (&self->tree, g_free);
  g_hash_table_remove_all (self->by_uid);
  self->length = 0;
  self->capacity = 0;
  self->n_unknown = 0;
}

static void
build_tree (CachetImapMailboxMap *self)
{
  g_free (self->tree);
  self->tree = g_new0 (guint32, (gsize) self->capacity + 1);
  for (guint32 i = 1; i <= self->capacity; i++)
    {
      guint32 parent = i + (i & (~i + 1));

      self->tree[i] += self->alive[i - 1];
      if (parent <= self->capacity)
        self->tree[parent] += self->tree[i];
    }
}

/* Reallocates for @capacity slots, squeezing out the dead ones, and rebuilds
 * the tree and the UID index in linear time. */
static void
rebuild (CachetImapMailboxMap *self,
         guint32               capacity)
{
  guint32 *uids = g_new0 (guint32, capacity);
  guint8 *alive = g_new0 (guint8, capacity);
  guint32 length = 0;

  for (guint32 slot = 0; slot < self->length; slot++)
    {
      if (!self->alive[slot])
        continue;
      uids[length] = self->uids[slot];
      alive[length] = 1;
      length++;
    }

  g_free (self->uids);
  g_free (self->alive);
  self->uids = uids;
  self->alive = alive;
  self->length = length;
  self->capacity = capacity;
  build_tree (self);

  g_hash_table_remove_all (self->by_uid);
  for (guint32 slot = 0; slot < length; slot++)
    {
      if (uids[slot] != 0)
        g_hash_table_insert (self->by_uid, GUINT_TO_POINTER (uids[slot]),
                             GUINT_TO_POINTER (slot + 1));
    }
}

static void
stop_tracking (CachetImapMailboxMap *self)
{
  if (self->tracking)
    g_debug ("Mailbox larger than %u messages: sequence numbers are no longer mapped to UIDs",
             CACHET_IMAP_MAILBOX_MAP_MAX_MESSAGES);
  clear_slots (self);
  self->tracking = FALSE;
}

/**
 * cachet_imap_mailbox_map_new:
 *
 * Returns: (transfer full): an empty map
 */
CachetImapMailboxMap *
cachet_imap_mailbox_map_new (void)
{
  CachetImapMailboxMap *self = g_new0 (CachetImapMailboxMap, 1);

  self->tracking = TRUE;
  self->by_uid = g_hash_table_new (NULL, NULL);
  return self;
}

void
cachet_imap_mailbox_map_free (CachetImapMailboxMap *self)
{
  if (self == NULL)
    return;

  clear_slots (self);
  g_hash_table_unref (self->by_uid);
  g_free (self);
}

/**
 * cachet_imap_mailbox_map_reset:
 * @count: the EXISTS of a newly selected mailbox
 *
 * Forgets everything: @count messages, none of whose UIDs is known.
 */
void
cachet_imap_mailbox_map_reset (CachetImapMailboxMap *self,
                               guint32               count)
{
  g_return_if_fail (self != NULL);

  clear_slots (self);
  self->count = count;
  self->tracking = TRUE;
  if (count > CACHET_IMAP_MAILBOX_MAP_MAX_MESSAGES)
    {
      stop_tracking (self);
      return;
    }

  self->capacity = MAX (count, MIN_CAPACITY);
  self->uids = g_new0 (guint32, self->capacity);
  self->alive = g_new0 (guint8, self->capacity);
  memset (self->alive, 1, count);
  self->length = count;
  self->n_unknown = count;
  build_tree (self);
}

guint32
cachet_imap_mailbox_map_get_count (CachetImapMailboxMap *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->count;
}

/**
 * cachet_imap_mailbox_map_is_tracking:
 *
 * Returns: %FALSE once the mailbox grew past
 *   %CACHET_IMAP_MAILBOX_MAP_MAX_MESSAGES: only its count is then known
 */
gboolean
cachet_imap_mailbox_map_is_tracking (CachetImapMailboxMap *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->tracking;
}

/**
 * cachet_imap_mailbox_map_is_complete:
 *
 * Returns: %TRUE if the UID of every message is known
 */
gboolean
cachet_imap_mailbox_map_is_complete (CachetImapMailboxMap *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->tracking && self->n_unknown == 0;
}

static void
expunge_slot (CachetImapMailboxMap *self,
              guint32               slot)
{
  if (self->uids[slot] != 0)
    g_hash_table_remove (self->by_uid, GUINT_TO_POINTER (self->uids[slot]));
  else
    self->n_unknown--;
  self->alive[slot] = 0;
  tree_add (self, slot, -1);
  self->count--;
}

/**
 * cachet_imap_mailbox_map_set_count:
 * @count: the number of an EXISTS response
 *
 * New messages get slots of unknown UID. EXISTS never shrinks a mailbox
 * (only EXPUNGE does); a server that says so anyway loses its last messages
 * here, so that sequence numbers stay in range.
 */
void
cachet_imap_mailbox_map_set_count (CachetImapMailboxMap *self,
                                   guint32               count)
{
  guint32 added;

  g_return_if_fail (self != NULL);

  if (!self->tracking || count > CACHET_IMAP_MAILBOX_MAP_MAX_MESSAGES)
    {
      stop_tracking (self);
      self->count = count;
      return;
    }

  while (self->count > count)
    expunge_slot (self, tree_select (self, self->count));
  if (count == self->count)
    return;

  added = count - self->count;
  if ((guint64) self->length + added > self->capacity)
    {
      guint64 wanted = MAX ((guint64) self->count + added, (guint64) self->capacity * 2);

      rebuild (self, (guint32) MIN (MAX (wanted, MIN_CAPACITY),
                                    (guint64) CACHET_IMAP_MAILBOX_MAP_MAX_MESSAGES * 2));
    }
  for (guint32 i = 0; i < added; i++)
    {
      guint32 slot = self->length++;

      self->uids[slot] = 0;
      self->alive[slot] = 1;
      tree_add (self, slot, +1);
    }
  self->n_unknown += added;
  self->count = count;
}

/**
 * cachet_imap_mailbox_map_get_uid:
 * @seq: a message sequence number
 *
 * Returns: the message's UID, or 0 if it is not known or @seq is out of range
 */
guint32
cachet_imap_mailbox_map_get_uid (CachetImapMailboxMap *self,
                                 guint32               seq)
{
  g_return_val_if_fail (self != NULL, 0);

  if (!self->tracking || seq == 0 || seq > self->count)
    return 0;
  return self->uids[tree_select (self, seq)];
}

/**
 * cachet_imap_mailbox_map_get_seq:
 * @uid: a UID
 *
 * Returns: the sequence number of the message, or 0 if it is not known
 */
guint32
cachet_imap_mailbox_map_get_seq (CachetImapMailboxMap *self,
                                 guint32               uid)
{
  gpointer value;

  g_return_val_if_fail (self != NULL, 0);

  if (!self->tracking || uid == 0 ||
      !g_hash_table_lookup_extended (self->by_uid, GUINT_TO_POINTER (uid), NULL, &value))
    return 0;
  return tree_rank (self, GPOINTER_TO_UINT (value) - 1);
}

/* The UID of the alive message next to @seq, or 0 if none or unknown. */
static guint32
neighbour_uid (CachetImapMailboxMap *self,
               guint32               seq)
{
  if (seq == 0 || seq > self->count)
    return 0;
  return self->uids[tree_select (self, seq)];
}

/**
 * cachet_imap_mailbox_map_set_uid:
 * @seq: a message sequence number
 * @uid: its UID, from a FETCH response
 *
 * Returns: %FALSE, changing nothing, if @seq is out of range or @uid cannot
 *   be the UID of that message: another message has it, or it is not
 *   between the UIDs of its neighbours (UIDs grow with sequence numbers)
 */
gboolean
cachet_imap_mailbox_map_set_uid (CachetImapMailboxMap *self,
                                 guint32               seq,
                                 guint32               uid)
{
  guint32 slot;
  guint32 before;
  guint32 after;
  gpointer other;

  g_return_val_if_fail (self != NULL, FALSE);

  if (uid == 0 || seq == 0 || seq > self->count)
    return FALSE;
  if (!self->tracking)
    return TRUE;

  slot = tree_select (self, seq);
  if (self->uids[slot] == uid)
    return TRUE;
  if (g_hash_table_lookup_extended (self->by_uid, GUINT_TO_POINTER (uid), NULL, &other))
    return FALSE;
  before = neighbour_uid (self, seq - 1);
  after = neighbour_uid (self, seq + 1);
  if ((before != 0 && before >= uid) || (after != 0 && after <= uid))
    return FALSE;

  if (self->uids[slot] != 0)
    g_hash_table_remove (self->by_uid, GUINT_TO_POINTER (self->uids[slot]));
  else
    self->n_unknown--;
  self->uids[slot] = uid;
  g_hash_table_insert (self->by_uid, GUINT_TO_POINTER (uid), GUINT_TO_POINTER (slot + 1));
  return TRUE;
}

static void
maybe_compact (CachetImapMailboxMap *self)
{
  if (self->length > MIN_CAPACITY && self->length - self->count > self->length / 2)
    rebuild (self, MAX (self->count * 2, MIN_CAPACITY));
}

/**
 * cachet_imap_mailbox_map_expunge:
 * @seq: the number of an EXPUNGE response
 * @uid: (out) (optional): the UID of the expunged message, 0 if not known
 *
 * Returns: %FALSE if @seq is out of range (nothing changes)
 */
gboolean
cachet_imap_mailbox_map_expunge (CachetImapMailboxMap *self,
                                 guint32               seq,
                                 guint32              *uid)
{
  guint32 slot;

  g_return_val_if_fail (self != NULL, FALSE);

  if (uid != NULL)
    *uid = 0;
  if (seq == 0 || seq > self->count)
    return FALSE;
  if (!self->tracking)
    {
      self->count--;
      return TRUE;
    }

  slot = tree_select (self, seq);
  if (uid != NULL)
    *uid = self->uids[slot];
  expunge_slot (self, slot);
  maybe_compact (self);
  return TRUE;
}

static int
compare_ranges (const void *a,
                const void *b)
{
  const CachetImapRange *x = a;
  const CachetImapRange *y = b;

  return (x->first > y->first) - (x->first < y->first);
}

/* @ranges are sorted and disjoint. */
static gboolean
ranges_contain (const CachetImapRange *ranges,
                guint                  n_ranges,
                guint32                uid)
{
  guint low = 0;
  guint high = n_ranges;

  /* The first range that starts after @uid; the one before may hold it. */
  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (ranges[middle].first <= uid)
        low = middle + 1;
      else
        high = middle;
    }
  return low > 0 && ranges[low - 1].last >= uid;
}

/**
 * cachet_imap_mailbox_map_remove_uids:
 * @ranges: (element-type CachetImapRange): the UIDs of a VANISHED response
 *
 * Removes the messages with these UIDs. A UID that is not known is taken to
 * be a message this map never had: VANISHED may name UIDs expunged before
 * the client knew of them.
 *
 * Returns: how many messages were removed
 */
guint32
cachet_imap_mailbox_map_remove_uids (CachetImapMailboxMap *self,
                                     const GArray         *ranges)
{
  guint64 total = 0;
  guint32 removed = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (ranges != NULL, 0);

  if (!self->tracking)
    return 0;

  for (guint i = 0; i < ranges->len; i++)
    {
      const CachetImapRange *range = &g_array_index (ranges, CachetImapRange, i);

      total += (guint64) range->last - range->first + 1;
    }

  if (total <= LOOKUP_MAX_UIDS)
    {
      for (guint i = 0; i < ranges->len; i++)
        {
          const CachetImapRange *range = &g_array_index (ranges, CachetImapRange, i);

          for (guint64 uid = range->first; uid <= range->last; uid++)
            {
              gpointer value;

              if (g_hash_table_lookup_extended (self->by_uid, GUINT_TO_POINTER ((guint32) uid),
                                                NULL, &value))
                {
                  expunge_slot (self, GPOINTER_TO_UINT (value) - 1);
                  removed++;
                }
            }
        }
    }
  else
    {
      g_autofree CachetImapRange *sorted = g_memdup2 (ranges->data,
                                                      ranges->len * sizeof (CachetImapRange));
      guint n = 0;

      /* Merged into disjoint ranges, so that membership is one binary search. */
      qsort (sorted, ranges->len, sizeof (CachetImapRange), compare_ranges);
      for (guint i = 0; i < ranges->len; i++)
        {
          if (n > 0 && (guint64) sorted[i].first <= (guint64) sorted[n - 1].last + 1)
            sorted[n - 1].last = MAX (sorted[n - 1].last, sorted[i].last);
          else
            sorted[n++] = sorted[i];
        }
      for (guint32 slot = 0; slot < self->length; slot++)
        {
          if (self->alive[slot] && self->uids[slot] != 0 &&
              ranges_contain (sorted, n, self->uids[slot]))
            {
              expunge_slot (self, slot);
              removed++;
            }
        }
    }

  maybe_compact (self);
  return removed;
}
