/**
 * Why an emulator admin action (standing in for a customer: approving a GDAP relationship,
 * accepting a relationship request link) was refused; `status` is what the admin API answers.
 */
export class AdminRefusal extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
