/* cachet-directory-entry.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-directory-mailbox.h"

G_BEGIN_DECLS

#define CACHET_TYPE_DIRECTORY_ENTRY (cachet_directory_entry_get_type ())

G_DECLARE_FINAL_TYPE (CachetDirectoryEntry, cachet_directory_entry, CACHET, DIRECTORY_ENTRY, GObject)

/**
 * CachetDirectoryEntryDetails:
 * @is_organisation: whether the entry is a structure rather than a person.
 * @civility: the civility of practice ("DR", "M", "MME"), or "".
 * @first_name: the first name, or "" for a structure.
 * @last_name: the last name, or the structure's name.
 * @profession: the profession, e.g. "Médecin", or "".
 * @specialty: the specialty (savoir-faire), or "".
 * @national_id: the national identifier (8 + RPPS, or 0 + ADELI) of a
 *   person, or "".
 * @is_online: whether the entry was found in the Annuaire Santé online
 *   rather than in the extract kept on this computer.
 *
 * What the directory says of a person or a structure. Every string is set.
 */
typedef struct
{
  gboolean    is_organisation;
  const char *civility;
  const char *first_name;
  const char *last_name;
  const char *profession;
  const char *specialty;
  const char *national_id;
  gboolean    is_online;
} CachetDirectoryEntryDetails;

CachetDirectoryEntry *cachet_directory_entry_new             (const CachetDirectoryEntryDetails *details);
void                  cachet_directory_entry_add_mailbox     (CachetDirectoryEntry              *self,
                                                              CachetDirectoryMailbox            *mailbox);
gboolean              cachet_directory_entry_is_organisation (CachetDirectoryEntry              *self);
const char           *cachet_directory_entry_get_civility    (CachetDirectoryEntry              *self);
const char           *cachet_directory_entry_get_first_name  (CachetDirectoryEntry              *self);
const char           *cachet_directory_entry_get_last_name   (CachetDirectoryEntry              *self);
char                 *cachet_directory_entry_dup_name        (CachetDirectoryEntry              *self);
const char           *cachet_directory_entry_get_profession  (CachetDirectoryEntry              *self);
const char           *cachet_directory_entry_get_specialty   (CachetDirectoryEntry              *self);
const char           *cachet_directory_entry_get_national_id (CachetDirectoryEntry              *self);
GListModel           *cachet_directory_entry_get_mailboxes   (CachetDirectoryEntry              *self);
gboolean              cachet_directory_entry_is_online       (CachetDirectoryEntry              *self);

guint                 cachet_directory_entries_append_new    (GListStore                        *store,
                                                              GListModel                        *entries);

G_END_DECLS
