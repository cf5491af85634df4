/* cachet-lab-patient.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-lab-patient.h"
#include "cachet-labs-private.h"

/* The patient as a lab report names them. Identity in lab files is weak
 * (free-text names, a NIR that may be the insured parent's), so this object
 * only records what was found; matching decides what it is worth. */

struct _CachetLabPatient
{
  GObject parent_instance;

  char *family_name;
  char *given_names;
  char *birth_date;
  char *ins;
  char *ins_oid;
  char *nir;
  char  sex;
  gboolean ins_qualified;
};

G_DEFINE_FINAL_TYPE (CachetLabPatient, cachet_lab_patient, G_TYPE_OBJECT)

/* INS-NIR and INS-NIA of production; the test (.4.10) and demo (.4.11)
 * roots reach real mailboxes from labs left in test mode. */
static const char *const production_ins_oids[] = {
  "1.2.250.1.213.1.4.8",
  "1.2.250.1.213.1.4.9",
};

static void
cachet_lab_patient_finalize (GObject *object)
{
  CachetLabPatient *self = CACHET_LAB_PATIENT (object);

  g_clear_pointer (&self->family_name, g_free);
  g_clear_pointer (&self->given_names, g_free);
  g_clear_pointer (&self->birth_date, g_free);
  g_clear_pointer (&self->ins, g_free);
  g_clear_pointer (&self->ins_oid, g_free);
  g_clear_pointer (&self->nir, g_free);

  G_OBJECT_CLASS (cachet_lab_patient_parent_class)->finalize (object);
}

static void
cachet_lab_patient_class_init (CachetLabPatientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_lab_patient_finalize;
}

static void
cachet_lab_patient_init (CachetLabPatient *self)
{
  self->sex = 'U';
}

CachetLabPatient *
cachet_lab_patient_new (void)
{
  return g_object_new (CACHET_TYPE_LAB_PATIENT, NULL);
}

const char *
cachet_lab_patient_get_family_name (CachetLabPatient *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT (self), NULL);
  return self->family_name;
}

void
cachet_lab_patient_set_family_name (CachetLabPatient *self,
                                    const char       *family_name)
{
  g_return_if_fail (CACHET_IS_LAB_PATIENT (self));
  cachet_labs_set_string (&self->family_name, family_name);
}

const char *
cachet_lab_patient_get_given_names (CachetLabPatient *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT (self), NULL);
  return self->given_names;
}

void
cachet_lab_patient_set_given_names (CachetLabPatient *self,
                                    const char       *given_names)
{
  g_return_if_fail (CACHET_IS_LAB_PATIENT (self));
  cachet_labs_set_string (&self->given_names, given_names);
}

/**
 * cachet_lab_patient_get_birth_date:
 *
 * Returns: (nullable): the date of birth as `YYYY-MM-DD`
 */
const char *
cachet_lab_patient_get_birth_date (CachetLabPatient *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT (self), NULL);
  return self->birth_date;
}

void
cachet_lab_patient_set_birth_date (CachetLabPatient *self,
                                   const char       *birth_date)
{
  g_return_if_fail (CACHET_IS_LAB_PATIENT (self));
  cachet_labs_set_string (&self->birth_date, birth_date);
}

/**
 * cachet_lab_patient_get_sex:
 *
 * Returns: `M`, `F` or `U` (unknown)
 */
char
cachet_lab_patient_get_sex (CachetLabPatient *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT (self), 'U');
  return self->sex;
}

void
cachet_lab_patient_set_sex (CachetLabPatient *self,
                            char              sex)
{
  g_return_if_fail (CACHET_IS_LAB_PATIENT (self));
  self->sex = (sex == 'M' || sex == 'F') ? sex : 'U';
}

const char *
cachet_lab_patient_get_ins (CachetLabPatient *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT (self), NULL);
  return self->ins;
}

const char *
cachet_lab_patient_get_ins_oid (CachetLabPatient *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT (self), NULL);
  return self->ins_oid;
}

/**
 * cachet_lab_patient_get_ins_qualified:
 *
 * Returns: whether the INS is a production one the sender declares
 *   qualified: only then may it identify the patient on its own
 */
gboolean
cachet_lab_patient_get_ins_qualified (CachetLabPatient *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT (self), FALSE);
  return self->ins_qualified;
}

void
cachet_lab_patient_set_ins (CachetLabPatient *self,
                            const char       *ins,
                            const char       *oid,
                            gboolean          qualified)
{
  g_return_if_fail (CACHET_IS_LAB_PATIENT (self));
  cachet_labs_set_string (&self->ins, ins);
  cachet_labs_set_string (&self->ins_oid, oid);
  self->ins_qualified = ins != NULL && qualified && cachet_lab_ins_oid_is_production (oid);
}

/**
 * cachet_lab_patient_get_nir:
 *
 * Returns: (nullable): the social security number as the file gives it;
 *   it may be the insured person's rather than the patient's
 */
const char *
cachet_lab_patient_get_nir (CachetLabPatient *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT (self), NULL);
  return self->nir;
}

void
cachet_lab_patient_set_nir (CachetLabPatient *self,
                            const char       *nir)
{
  g_return_if_fail (CACHET_IS_LAB_PATIENT (self));
  cachet_labs_set_string (&self->nir, nir);
}

/**
 * cachet_lab_patient_has_identity:
 *
 * Returns: whether there is enough to propose a patient: a family name and
 *   a date of birth, or an INS
 */
gboolean
cachet_lab_patient_has_identity (CachetLabPatient *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT (self), FALSE);
  return self->ins != NULL || (self->family_name != NULL && self->birth_date != NULL);
}

/* Upper case without accents, hyphens and apostrophes folded to spaces,
 * runs of spaces collapsed: the forms labs write the same name in. */
static char *
normalise_name (const char *name)
{
  g_autofree char *decomposed = NULL;
  GString *folded = g_string_new (NULL);

  if (name == NULL)
    return g_string_free (folded, FALSE);
  decomposed = g_utf8_normalize (name, -1, G_NORMALIZE_NFD);
  for (const char *p = decomposed; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      if (c == '-' || c == '\'' || c == 0x2019 || g_unichar_isspace (c))
        {
          if (folded->len > 0 && folded->str[folded->len - 1] != ' ')
            g_string_append_c (folded, ' ');
          continue;
        }
      g_string_append_unichar (folded, g_unichar_toupper (c));
    }
  if (folded->len > 0 && folded->str[folded->len - 1] == ' ')
    g_string_truncate (folded, folded->len - 1);
  return g_string_free (folded, FALSE);
}

/**
 * cachet_lab_patient_dup_match_key:
 *
 * Returns: (transfer full): normalised family name, first given name and
 *   date of birth: equal keys make a candidate, never a certainty
 */
char *
cachet_lab_patient_dup_match_key (CachetLabPatient *self)
{
  g_autofree char *family = NULL;
  g_autofree char *given = NULL;
  char *space;

  g_return_val_if_fail (CACHET_IS_LAB_PATIENT (self), NULL);

  family = normalise_name (self->family_name);
  given = normalise_name (self->given_names);
  /* Labs send one, two or all first names: the first is what they share. */
  if ((space = strchr (given, ' ')) != NULL)
    *space = '\0';
  return g_strdup_printf ("%s|%s|%s", family, given, self->birth_date != NULL ? self->birth_date : "");
}

/**
 * cachet_lab_patient_dup_display_name:
 *
 * Returns: (transfer full): `NOM Prénom (YYYY-MM-DD)`, the name of the
 *   patient's folder
 */
char *
cachet_lab_patient_dup_display_name (CachetLabPatient *self)
{
  g_autofree char *family = NULL;
  GString *name = g_string_new (NULL);

  g_return_val_if_fail (CACHET_IS_LAB_PATIENT (self), NULL);

  family = g_utf8_strup (self->family_name != NULL ? self->family_name : "", -1);
  g_string_append (name, family);
  if (self->given_names != NULL && *self->given_names != '\0')
    g_string_append_printf (name, "%s%s", name->len > 0 ? " " : "", self->given_names);
  if (self->birth_date != NULL)
    g_string_append_printf (name, "%s(%s)", name->len > 0 ? " " : "", self->birth_date);
  return g_string_free (name, FALSE);
}

gboolean
cachet_lab_ins_oid_is_production (const char *oid)
{
  if (oid == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (production_ins_oids); i++)
    {
      if (g_str_equal (oid, production_ins_oids[i]))
        return TRUE;
    }
  return FALSE;
}
