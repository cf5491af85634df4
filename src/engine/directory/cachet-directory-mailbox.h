/* cachet-directory-mailbox.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-directory-types.h"

G_BEGIN_DECLS

#define CACHET_TYPE_DIRECTORY_MAILBOX (cachet_directory_mailbox_get_type ())

G_DECLARE_FINAL_TYPE (CachetDirectoryMailbox, cachet_directory_mailbox, CACHET, DIRECTORY_MAILBOX, GObject)

/**
 * CachetDirectoryMailboxPlace:
 * @organisation: the structure the mailbox belongs to, or "".
 * @service: the service within it, or "".
 * @street: the postal address before the postcode, on one line, or "".
 * @postcode: the postcode, or "".
 * @city: the city, or "".
 * @department: the department code, or "".
 *
 * Where a mailbox is, as the directory says. Every string is set.
 */
typedef struct
{
  const char *organisation;
  const char *service;
  const char *street;
  const char *postcode;
  const char *city;
  const char *department;
} CachetDirectoryMailboxPlace;

CachetDirectoryMailbox     *cachet_directory_mailbox_new              (const char                        *address,
                                                                       CachetDirectoryMailboxType         type,
                                                                       const CachetDirectoryMailboxPlace *place);
const char                 *cachet_directory_mailbox_get_address      (CachetDirectoryMailbox            *self);
CachetDirectoryMailboxType  cachet_directory_mailbox_get_mailbox_type (CachetDirectoryMailbox            *self);
const char                 *cachet_directory_mailbox_get_organisation (CachetDirectoryMailbox            *self);
const char                 *cachet_directory_mailbox_get_service      (CachetDirectoryMailbox            *self);
const char                 *cachet_directory_mailbox_get_street       (CachetDirectoryMailbox            *self);
const char                 *cachet_directory_mailbox_get_postcode     (CachetDirectoryMailbox            *self);
const char                 *cachet_directory_mailbox_get_city         (CachetDirectoryMailbox            *self);
const char                 *cachet_directory_mailbox_get_department   (CachetDirectoryMailbox            *self);

G_END_DECLS
