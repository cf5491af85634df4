/* cachet-imap-mailbox.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-imap-mailbox.h"

struct _CachetImapMailboxInfo
{
  gatomicrefcount       ref_count;
  char                 *name;
  char                 *wire_name;
  char                  delimiter;
  char                **attributes;
  CachetImapSpecialUse  special_use;
  gboolean              subscribed;
};

G_DEFINE_BOXED_TYPE (CachetImapMailboxInfo, cachet_imap_mailbox_info,
                     cachet_imap_mailbox_info_ref, cachet_imap_mailbox_info_unref)

G_DEFINE_BOXED_TYPE (CachetImapMailboxStatus, cachet_imap_mailbox_status,
                     cachet_imap_mailbox_status_copy, cachet_imap_mailbox_status_free)

static const struct
{
  const char           *attribute;
  CachetImapSpecialUse  special_use;
} special_uses[] = {
  { "\\All", CACHET_IMAP_SPECIAL_USE_ALL },
  { "\\Archive", CACHET_IMAP_SPECIAL_USE_ARCHIVE },
  { "\\Drafts", CACHET_IMAP_SPECIAL_USE_DRAFTS },
  { "\\Flagged", CACHET_IMAP_SPECIAL_USE_FLAGGED },
  { "\\Junk", CACHET_IMAP_SPECIAL_USE_JUNK },
  { "\\Sent", CACHET_IMAP_SPECIAL_USE_SENT },
  { "\\Trash", CACHET_IMAP_SPECIAL_USE_TRASH },
};

/**
 * cachet_imap_mailbox_info_new:
 * @name: the name in UTF-8, as shown to the user and given back to the
 *   session's commands
 * @wire_name: the name as the server sent it (modified UTF-7 unless
 *   UTF8=ACCEPT is enabled)
 * @delimiter: the hierarchy delimiter, `'\0'` for a flat namespace
 * @attributes: (nullable) (array zero-terminated=1): the LIST attributes
 * @subscribed: whether the mailbox is subscribed
 *
 * Returns: (transfer full): a new mailbox description
 */
CachetImapMailboxInfo *
cachet_imap_mailbox_info_new (const char         *name,
                              const char         *wire_name,
                              char                delimiter,
                              const char * const *attributes,
                              gboolean            subscribed)
{
  CachetImapMailboxInfo *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (wire_name != NULL, NULL);

  self = g_new0 (CachetImapMailboxInfo, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  self->wire_name = g_strdup (wire_name);
  self->delimiter = delimiter;
  self->attributes = attributes != NULL ? g_strdupv ((char **) attributes) : g_new0 (char *, 1);
  self->subscribed = subscribed;

  for (gsize i = 0; self->attributes[i] != NULL; i++)
    {
      for (gsize j = 0; j < G_N_ELEMENTS (special_uses); j++)
        {
          /* The first one wins: a mailbox has one use in the interface. */
          if (self->special_use == CACHET_IMAP_SPECIAL_USE_NONE &&
              g_ascii_strcasecmp (self->attributes[i], special_uses[j].attribute) == 0)
            self->special_use = special_uses[j].special_use;
        }
    }

  return self;
}

CachetImapMailboxInfo *
cachet_imap_mailbox_info_ref (CachetImapMailboxInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cachet_imap_mailbox_info_unref (CachetImapMailboxInfo *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->name);
  g_free (self->wire_name);
  g_strfreev (self->attributes);
  g_free (self);
}

/**
 * cachet_imap_mailbox_info_get_name:
 *
 * Returns: the name in UTF-8, to show and to pass to the session's commands
 *   (`INBOX` is always spelled so)
 */
const char *
cachet_imap_mailbox_info_get_name (CachetImapMailboxInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

/**
 * cachet_imap_mailbox_info_get_wire_name:
 *
 * Returns: the name exactly as the server sent it
 */
const char *
cachet_imap_mailbox_info_get_wire_name (CachetImapMailboxInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->wire_name;
}

/**
 * cachet_imap_mailbox_info_get_delimiter:
 *
 * Returns: the hierarchy delimiter, or `'\0'` for a flat namespace
 */
char
cachet_imap_mailbox_info_get_delimiter (CachetImapMailboxInfo *self)
{
  g_return_val_if_fail (self != NULL, '\0');

  return self->delimiter;
}

/**
 * cachet_imap_mailbox_info_get_attributes:
 *
 * Returns: (transfer none) (array zero-terminated=1): the attributes as the
 *   server spelled them (`\HasNoChildren`, `\Sent`, `\Subscribed`…)
 */
const char * const *
cachet_imap_mailbox_info_get_attributes (CachetImapMailboxInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->attributes;
}

/**
 * cachet_imap_mailbox_info_has_attribute:
 * @attribute: such as `\Noselect`, in any case
 *
 * Returns: whether the mailbox has @attribute
 */
gboolean
cachet_imap_mailbox_info_has_attribute (CachetImapMailboxInfo *self,
                                        const char            *attribute)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (attribute != NULL, FALSE);

  for (gsize i = 0; self->attributes[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (self->attributes[i], attribute) == 0)
        return TRUE;
    }
  return FALSE;
}

CachetImapSpecialUse
cachet_imap_mailbox_info_get_special_use (CachetImapMailboxInfo *self)
{
  g_return_val_if_fail (self != NULL, CACHET_IMAP_SPECIAL_USE_NONE);

  return self->special_use;
}

gboolean
cachet_imap_mailbox_info_is_subscribed (CachetImapMailboxInfo *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->subscribed;
}

/**
 * cachet_imap_mailbox_info_is_selectable:
 *
 * Returns: %FALSE for a mailbox that only holds others (`\Noselect`) or that
 *   does not exist (`\NonExistent`, a subscription to a deleted mailbox)
 */
gboolean
cachet_imap_mailbox_info_is_selectable (CachetImapMailboxInfo *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return !cachet_imap_mailbox_info_has_attribute (self, "\\Noselect") &&
         !cachet_imap_mailbox_info_has_attribute (self, "\\NonExistent");
}

/**
 * cachet_imap_special_use_to_string:
 *
 * Returns: (nullable): the attribute, such as `\Sent`, or %NULL for
 *   %CACHET_IMAP_SPECIAL_USE_NONE
 */
const char *
cachet_imap_special_use_to_string (CachetImapSpecialUse special_use)
{
  for (gsize i = 0; i < G_N_ELEMENTS (special_uses); i++)
    {
      if (special_uses[i].special_use == special_use)
        return special_uses[i].attribute;
    }
  return NULL;
}

CachetImapMailboxStatus *
cachet_imap_mailbox_status_copy (const CachetImapMailboxStatus *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_memdup2 (self, sizeof *self);
}

void
cachet_imap_mailbox_status_free (CachetImapMailboxStatus *self)
{
  g_free (self);
}
