/* cachet-correspondent.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-correspondent.h"

/* Someone the user exchanged mail with, as one store counted them when
 * asked: a snapshot, for suggestions. */

struct _CachetCorrespondent
{
  GObject  parent_instance;

  char    *address;
  char    *name;
  guint    sent_count;
  guint    received_count;
  gint64   last_seen;
  double   score;
};

G_DEFINE_FINAL_TYPE (CachetCorrespondent, cachet_correspondent, G_TYPE_OBJECT)

/**
 * cachet_correspondent_new:
 * @address: their mail address
 * @name: (nullable): the newest display name they were seen with
 * @sent_count: how many messages the user sent them
 * @received_count: how many messages the user received from them
 * @last_seen: when the newest of those arrived or left, unix seconds
 * @score: their rank: higher for more mail and more recent mail
 *
 * Returns: (transfer full): the correspondent
 */
CachetCorrespondent *
cachet_correspondent_new (const char *address,
                          const char *name,
                          guint       sent_count,
                          guint       received_count,
                          gint64      last_seen,
                          double      score)
{
  CachetCorrespondent *self;

  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (CACHET_TYPE_CORRESPONDENT, NULL);
  self->address = g_strdup (address);
  self->name = g_strdup (name);
  self->sent_count = sent_count;
  self->received_count = received_count;
  self->last_seen = last_seen;
  self->score = score;

  return self;
}

const char *
cachet_correspondent_get_address (CachetCorrespondent *self)
{
  g_return_val_if_fail (CACHET_IS_CORRESPONDENT (self), NULL);

  return self->address;
}

/**
 * cachet_correspondent_get_name:
 *
 * Returns: (nullable): the display name, %NULL if they were never seen with
 *   one
 */
const char *
cachet_correspondent_get_name (CachetCorrespondent *self)
{
  g_return_val_if_fail (CACHET_IS_CORRESPONDENT (self), NULL);

  return self->name;
}

guint
cachet_correspondent_get_sent_count (CachetCorrespondent *self)
{
  g_return_val_if_fail (CACHET_IS_CORRESPONDENT (self), 0);

  return self->sent_count;
}

guint
cachet_correspondent_get_received_count (CachetCorrespondent *self)
{
  g_return_val_if_fail (CACHET_IS_CORRESPONDENT (self), 0);

  return self->received_count;
}

gint64
cachet_correspondent_get_last_seen (CachetCorrespondent *self)
{
  g_return_val_if_fail (CACHET_IS_CORRESPONDENT (self), 0);

  return self->last_seen;
}

/**
 * cachet_correspondent_get_score:
 *
 * Returns: the rank the search gave them; the scores of searches made at
 *   about the same time, in several stores, compare
 */
double
cachet_correspondent_get_score (CachetCorrespondent *self)
{
  g_return_val_if_fail (CACHET_IS_CORRESPONDENT (self), 0);

  return self->score;
}

static void
cachet_correspondent_finalize (GObject *object)
{
  CachetCorrespondent *self = CACHET_CORRESPONDENT (object);

  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (cachet_correspondent_parent_class)->finalize (object);
}

static void
cachet_correspondent_class_init (CachetCorrespondentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_correspondent_finalize;
}

static void
cachet_correspondent_init (CachetCorrespondent *self)
{
}
